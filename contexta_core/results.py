"""Plain result objects returned by queries: no SQL, no Slack, cheap to build by the thousand."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

from .contract import format_utc
from .errors import ContextaError
from .gc_pause import gc_paused


def to_jsonable(value: Any) -> Any:
    """Dataclass results → JSON-safe structures (times as ``…Z`` text)."""
    if hasattr(value, "__dataclass_fields__"):
        value = {f.name: getattr(value, f.name) for f in fields(value)}
    if hasattr(value, "_asdict"):  # named tuples (TrendPoint)
        value = value._asdict()
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, TrendPoints):
        return value.to_jsonable()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, ContextaError):  # a refusal a result carries: its code, message and details
        return to_jsonable(value.to_dict())
    return value


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    project_ref: str
    name: str
    description: str | None
    created_at: datetime
    run_count: int = 0
    last_run_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    project_name: str
    name: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    description: str | None = None

    @property
    def duration_seconds(self) -> float | None:
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class DeploymentRecord:
    deployment_id: str
    project_name: str
    name: str
    status: str
    run_id: str | None
    run_name: str | None
    started_at: datetime
    ended_at: datetime | None = None
    order: int | None = None
    environment: str = "production"


@dataclass(frozen=True, slots=True)
class BestRun:
    """The winner of a project-scoped best-run query, with its margin over the runner-up."""

    run_id: str
    run_name: str
    value: float
    metric_key: str
    stage_name: str | None
    aggregation: str
    higher_is_better: bool
    runner_up_run_id: str | None = None
    runner_up_run_name: str | None = None
    runner_up_value: float | None = None

    @property
    def margin(self) -> float | None:
        """How far ahead of the runner-up the winner is (always ≥ 0), or None when it ran alone."""
        if self.runner_up_value is None:
            return None
        return abs(self.value - self.runner_up_value)


@dataclass(frozen=True, slots=True)
class ProjectDefaults:
    """What "best" and "trend" mean for a project unless a question says otherwise.

    ``chosen_by`` says where the metric came from, so answers can say so: ``stored``
    (``set_project_defaults``), ``inferred`` (from what the project records, see
    ``queries.primary_metric``) or ``fallback`` (nothing recorded yet). Not part of equality."""

    metric_key: str = "accuracy"
    stage_name: str | None = "evaluate"
    higher_is_better: bool = True
    chosen_by: str = field(default="fallback", compare=False)


@dataclass(frozen=True, slots=True)
class MetricScope:
    """What one question is about, resolved once: the project, the metric, the stage it was found
    in (None: run level), which way is better and how a run's repeated values count. Every answer,
    chart and report built for the question is given this, so none of them decides it again."""

    project: str
    metric_key: str
    stage_name: str | None
    higher_is_better: bool
    aggregation: str = "latest"
    chosen_by: str = field(default="asked", compare=False)  # asked | stored | inferred | fallback


class TrendPoint(NamedTuple):
    """One run's value on a metric's trend."""

    run_id: str
    run_name: str
    value: float
    started_at: datetime  # when its run started (the x axis)
    status: str
    stage_name: str | None = None
    deployments: tuple[str, ...] = ()  # names of deployments of this run


_make_point = partial(tuple.__new__, TrendPoint)


class TrendPoints(Sequence[TrendPoint]):
    """A trend's points, held as one tuple per field and built into ``TrendPoint``s on access.

    Why columns: 100,000 named tuples cost the query a third of its time to build, and the
    collector never untracks tuple subclasses, so every later full collection in a long-running
    bot walks them again. Seven plain tuples of atomic values are untracked after one pass, and
    most readers want one column anyway (values for a sparkline or the running best, ids for the
    top runs). Indexing, slicing (→ ``TrendPoints``), iteration and equality behave as for a
    tuple of points; ``len`` and truth too.
    """

    __slots__ = ("_columns",)

    def __init__(self, columns: Sequence[tuple] = ((),) * len(TrendPoint._fields)):
        if len(columns) != len(TrendPoint._fields) or len({len(c) for c in columns}) > 1:
            raise ValueError(f"TrendPoints needs {len(TrendPoint._fields)} columns of equal length")
        self._columns = tuple(columns)

    @classmethod
    def of(cls, points: Iterable[TrendPoint]) -> TrendPoints:
        points = tuple(points)
        if not points:
            return cls()
        return cls(tuple(zip(*points, strict=True)))

    @property
    def run_ids(self) -> tuple[str, ...]:
        return self._columns[0]

    @property
    def run_names(self) -> tuple[str, ...]:
        return self._columns[1]

    @property
    def values(self) -> tuple[float, ...]:
        return self._columns[2]

    @property
    def started_at(self) -> tuple[datetime, ...]:
        return self._columns[3]

    def __len__(self) -> int:
        return len(self._columns[2])

    def __iter__(self) -> Iterator[TrendPoint]:
        return map(_make_point, zip(*self._columns, strict=True))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return TrendPoints(tuple(column[index] for column in self._columns))
        return _make_point(column[index] for column in self._columns)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TrendPoints):
            return self._columns == other._columns
        if isinstance(other, tuple | list):
            return len(other) == len(self) and all(map(operator.eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._columns)

    def __repr__(self) -> str:
        return f"TrendPoints({len(self)} points)"

    def to_jsonable(self) -> list[dict[str, Any]]:
        """One dict per point, built column by column (what ``to_jsonable`` would do, 10x sooner;
        deployments stay tuples, which JSON writes as arrays too)."""
        run_ids, names, values, times, statuses, stages, deployments = self._columns
        columns = (run_ids, names, values, map(format_utc, times), statuses, stages, deployments)
        with gc_paused():
            return list(map(dict, map(partial(zip, TrendPoint._fields), zip(*columns, strict=True))))


@dataclass(frozen=True, slots=True)
class MetricTrend:
    """One point per run that has the metric, in run start order; how many runs lack it, and the
    first few of their names (each surface words that note in its own language)."""

    metric_key: str
    project_name: str
    stage_name: str | None
    aggregation: str
    points: TrendPoints  # any iterable of TrendPoint is accepted and stored as columns
    missing_run_count: int = 0
    missing_run_names: tuple[str, ...] = ()  # the first few, for messages

    def __post_init__(self) -> None:
        if not isinstance(self.points, TrendPoints):
            object.__setattr__(self, "points", TrendPoints.of(self.points))

    @property
    def values(self) -> tuple[float, ...]:
        return self.points.values

    @property
    def first(self) -> TrendPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> TrendPoint | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> float | None:
        """last − first (None without points)."""
        values = self.points.values
        return values[-1] - values[0] if values else None


@dataclass(frozen=True, slots=True)
class StageRecord:
    stage_id: str
    run_id: str
    name: str
    status: str
    order: int | None
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    record_id: str
    run_id: str
    stage_id: str | None
    stage_name: str | None
    record_type: str  # "metric" | "event"
    key: str
    observed_at: datetime
    value: float | None = None
    message: str | None = None
    level: str | None = None
    step: int | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class RunSnapshot:
    run: RunRecord
    stages: tuple[StageRecord, ...]
    deployments: tuple[DeploymentRecord, ...]
    records: tuple[ObservationRecord, ...]
    completeness_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricDelta:
    metric_key: str
    stage_name: str | None
    left_value: float | None
    right_value: float | None

    @property
    def delta(self) -> float | None:
        if self.left_value is None or self.right_value is None:
            return None
        return self.right_value - self.left_value

    @property
    def change_ratio(self) -> float | None:
        if self.delta is None or not self.left_value:
            return None
        return self.delta / self.left_value


@dataclass(frozen=True, slots=True)
class StageComparison:
    stage_name: str | None  # None: run-level metrics
    left_stage_id: str | None
    right_stage_id: str | None
    left_status: str | None
    right_status: str | None
    metric_deltas: tuple[MetricDelta, ...]


@dataclass(frozen=True, slots=True)
class RunComparison:
    left_run_id: str
    right_run_id: str
    left_run: RunRecord
    right_run: RunRecord
    # The original library's one-line English summary ("Compared a and b: 2 stage rows, 3 metric
    # deltas."), kept because scripts written for it read `comparison.summary` (../shared/contexta-api.md,
    # 3.3) through the `contexta/` facade. Our own surfaces word a comparison from the fields below.
    summary: str
    stage_comparisons: tuple[StageComparison, ...]
    left_deployments: tuple[DeploymentRecord, ...] = ()
    right_deployments: tuple[DeploymentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class DeploymentAnswer:
    deployment: DeploymentRecord
    metric_value: float | None  # the deployed run's value of the primary metric
    is_live: bool


@dataclass(frozen=True, slots=True)
class ReportPreview:
    """The chat-sized view of the multi-run report: totals and the top-N rows."""

    total_runs: int  # the renderers name it (`render.document.report_title`), as the document is
    table: ReportTable | None  # the shown runs (best first by the primary metric)
    shown_runs: int


@dataclass(frozen=True, slots=True)
class OnboardingSummary:
    """The five answers for one project, in one object (what `onboard` renders)."""

    project: ProjectRecord
    scope: MetricScope  # the metric/stage/direction actually used
    # 1. runs
    run_count: int
    status_counts: dict[str, int]
    runs: tuple[RunRecord, ...]  # oldest first; all of them up to `limit`, else the latest `limit`
    runs_truncated: int  # how many older runs `runs` leaves out
    # 2. metric over time
    trend: MetricTrend | None  # None when the project has no such metric
    best_so_far: tuple[float, ...]  # running best aligned with trend.points
    # 3. deployments
    deployments: tuple[DeploymentAnswer, ...]
    live: DeploymentAnswer | None
    # 4. best run
    best: BestRun | None
    best_is_live: bool
    # 5. report
    report: ReportPreview | None
    notes: tuple[
        ContextaError, ...
    ] = ()  # what could not be answered (no metric yet …), worded by each surface


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """One (stage, metric) column of a multi-run report, with the best run the way it was read."""

    stage_name: str | None
    metric_key: str
    values: tuple[float | None, ...]  # aligned with ReportTable.run_ids
    best_index: int | None
    higher_is_better: bool | None = None  # the direction best_index was chosen by; None: by its name

    @property
    def label(self) -> str:
        return f"{self.stage_name or 'run'}/{self.metric_key}"


@dataclass(frozen=True, slots=True)
class ReportTable:
    """Runs as rows (in the report's order), metrics as columns."""

    run_ids: tuple[str, ...]
    run_names: tuple[str, ...]
    run_statuses: tuple[str, ...]
    run_started: tuple[datetime, ...]
    columns: tuple[MetricColumn, ...]
    deployed: tuple[tuple[str, ...], ...] = ()  # deployment names per run, aligned with run_ids


@dataclass(frozen=True, slots=True)
class ReportDeployment:
    name: str
    run_index: int  # the deployed run's row in the table
    started_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class MultiRunReport:
    """What a multi-run report says, as data; ``render.document`` writes it out as text."""

    table: ReportTable
    deployments: tuple[ReportDeployment, ...]  # in the order they happened
    stages_without_records: tuple[tuple[str, int], ...] = ()  # (stage name, runs), by name
