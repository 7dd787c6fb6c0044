"""Synthetic project histories: the demo, the tests and the benchmarks all build their data here.

Three shapes, one set of model builders underneath (so a project, run, stage, record or
deployment is spelled the same way everywhere):

* one-line builders for tests (``add_project``, ``add_run``, ``metric``, ``event``, ``day``);
* ``seed_demo``: the seed case's churn-prediction history (``make demo``, ``contexta demo``);
* ``BusyProject``: N runs shaped like a busy team's (bench at 1k-100k runs, the bot's limit
  tests at 5,000 runs with long names), written with the bulk store APIs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .contract import (
    MetricPayload,
    MetricRecord,
    Run,
    StageExecution,
    StructuredEventPayload,
    StructuredEventRecord,
)
from .models import deployment_model, project_model, record_envelope, run_model, stage_model

if TYPE_CHECKING:
    from .client import Contexta

BASE = datetime(2025, 1, 1, tzinfo=UTC)
APPEND_CHUNK = 10_000  # records per append_many transaction
_ids = itertools.count(1)

# -- records (the models come from ``models.py``, shared with the capture API) ---------------------


def metric(
    project: str,
    run: str,
    key: str,
    value,
    *,
    stage: str | None = "evaluate",
    at: datetime | None = None,
    ref: str | None = None,
    producer: str = "tests",
    step: int | None = None,
) -> MetricRecord:
    """A metric of ``run`` (in ``stage``; None: run level), observed ``at`` (default: day 0, noon)."""
    at = at or day(0, 12)
    envelope = record_envelope(
        project, run, ref or f"m{next(_ids)}", "metric", at, producer=producer, stage=stage
    )
    return MetricRecord(envelope=envelope, payload=MetricPayload(metric_key=key, value=value, step=step))


def event(
    project: str,
    run: str,
    key: str = "training.note",
    message: str = "hello",
    *,
    at: datetime = BASE,
    ref: str | None = None,
    producer: str = "tests",
) -> StructuredEventRecord:
    envelope = record_envelope(project, run, ref or f"e{next(_ids)}", "event", at, producer=producer)
    return StructuredEventRecord(
        envelope=envelope, payload=StructuredEventPayload(event_key=key, message=message)
    )


# -- one-line builders for tests -----------------------------------------------------------------


def day(n: int, hour: int = 9) -> datetime:
    """``n`` days after ``BASE`` at ``hour`` UTC."""
    return BASE + timedelta(days=n, hours=hour)


def add_project(ctx: Contexta, name: str = "proj") -> str:
    ctx.metadata_store.projects.put_project(project_model(name, created_at=BASE))
    return name


def add_run(
    ctx: Contexta,
    project: str,
    run: str,
    n: int = 0,
    *,
    status: str = "completed",
    stages: Sequence[str] = ("train", "evaluate"),
) -> str:
    """Run ``run`` on day ``n`` (09:00-12:00, open runs have no end) with its stages; its ref."""
    ended = None if status == "open" else day(n, 12)
    model = run_model(project, run, day(n), ended, status=status)
    ctx.metadata_store.runs.put_run(model)
    for i, stage in enumerate(stages):
        ctx.metadata_store.stages.put_stage_execution(
            stage_model(project, run, stage, day(n, 10), day(n, 11), i)
        )
    return model.run_ref


# -- the demo: the seed case's churn-prediction history -----------------------------------------

PROJECT = "churn-prediction"
RUNS = [  # name, started, ended, accuracy, auc, f1 (the same data as seed_onboarding_data.py)
    ("churn-v1-jan", "2025-01-10T09:00:00Z", "2025-01-10T12:00:00Z", 0.821, 0.854, 0.811),
    ("churn-v2-feb", "2025-02-07T09:00:00Z", "2025-02-07T12:00:00Z", 0.843, 0.872, 0.836),
    ("churn-v3-feb", "2025-02-21T09:00:00Z", "2025-02-21T12:00:00Z", 0.861, 0.889, 0.854),
    ("churn-v4-mar", "2025-03-14T09:00:00Z", "2025-03-14T12:00:00Z", 0.878, 0.907, 0.871),
    ("churn-v5-apr", "2025-04-03T09:00:00Z", "2025-04-03T12:00:00Z", 0.894, 0.921, 0.888),
    ("churn-v6-apr", "2025-04-18T09:00:00Z", "2025-04-18T12:00:00Z", 0.902, 0.933, 0.896),
]
DEPLOYMENTS = [  # name, run index, started, ended
    ("prod-deploy-v3", 2, "2025-02-22T15:00:00Z", "2025-02-22T15:12:00Z"),
    ("prod-deploy-v6", 5, "2025-04-19T14:00:00Z", "2025-04-19T14:10:00Z"),
]


def seed_demo(ctx: Contexta, project: str = PROJECT) -> bool:
    """Write the demo history unless the project exists already; True when it wrote it.

    6 runs over 4 months (stages train/evaluate, accuracy/auc/f1 on evaluate, one event per run)
    and 2 production deployments (history, so no alert events: ``bulk_import``)."""
    with ctx.bulk_import():
        return _seed_demo(ctx, project)


def _seed_demo(ctx: Contexta, project: str) -> bool:
    ms = ctx.metadata_store
    if ms.projects.exists_project(f"project:{project}"):
        return False
    ms.projects.put_project(
        project_model(
            project, created_at=_utc("2025-01-01T00:00:00Z"), description="Customer churn prediction model"
        )
    )
    for name, started_text, ended_text, accuracy, auc, f1 in RUNS:
        started, ended = _utc(started_text), _utc(ended_text)
        split = started.replace(hour=10, minute=30)
        ms.runs.put_run(run_model(project, name, started, ended))
        ms.stages.put_stage_executions(
            [
                stage_model(project, name, "train", started, split, 0),
                stage_model(project, name, "evaluate", split, ended, 1),
            ]
        )
        records: list[MetricRecord | StructuredEventRecord] = [
            metric(project, name, key, value, at=ended, ref=key, producer="contexta.demo")
            for key, value in (("accuracy", accuracy), ("auc", auc), ("f1", f1))
        ]
        records.append(
            event(
                project,
                name,
                "training.run-registered",
                f"Training run {name} started.",
                at=started,
                ref="registered",
                producer="contexta.demo",
            )
        )
        ctx.record_store.append_many(records)
    for order, (name, run_index, started, ended) in enumerate(DEPLOYMENTS):
        ms.deployments.put_deployment_execution(
            deployment_model(project, name, RUNS[run_index][0], _utc(started), _utc(ended), order)
        )
    return True


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- busy projects: bench and limit tests --------------------------------------------------------


def metric_value(key: str, quality: float) -> float:
    """A run's value of ``key`` given its quality: losses fall as quality rises, f1 trails accuracy."""
    if "loss" in key:
        return round(1.5 - quality, 5)
    if key == "f1":
        return round(quality - 0.01, 5)
    return round(quality, 5)


@dataclass(frozen=True, slots=True)
class BusyProject:
    """``runs`` runs, one every ``every``, each lasting ``lasts``, with ``stages`` and one value of
    each (stage, metric) in ``metrics`` that improves over time with a small deterministic wiggle
    (with ``steps`` > 1, a training curve of that many values per metric ending at that value).
    Every ``failed_every``-th run (counting from ``failed_offset``) failed; ``deployments`` runs
    of the second half went to production. Written with the bulk APIs: 100,000 runs in seconds."""

    name: str
    runs: int
    run_name: Callable[[int], str] = "run-{:06d}".format
    start: datetime = datetime(2024, 1, 1, tzinfo=UTC)
    every: timedelta = timedelta(minutes=10)
    lasts: timedelta = timedelta(minutes=9)
    stages: tuple[str, ...] = ("train", "evaluate")
    metrics: tuple[tuple[str, str], ...] = (("train", "loss"), ("evaluate", "accuracy"), ("evaluate", "f1"))
    failed_every: int = 20
    failed_offset: int = 7
    deployments: int = 10
    description: str | None = None
    producer: str = "contexta.synthetic"
    steps: int = 1

    def started_at(self, i: int) -> datetime:
        return self.start + self.every * i

    def quality(self, i: int) -> float:
        return 0.6 + 0.3 * i / max(self.runs, 1) + (i % 7) * 0.001

    def deployed_runs(self) -> list[int]:
        """The runs deployed, spread evenly over the second half of the history."""
        half = self.runs // 2
        step = max(1, (self.runs - half) // max(self.deployments, 1))
        return list(range(half, self.runs, step))[: self.deployments]

    def write(self, ctx: Contexta) -> None:
        self.write_metadata(ctx)
        append_in_chunks(ctx, self.records())

    def write_metadata(self, ctx: Contexta) -> None:
        """Project, runs, stages and deployments (everything but the records); history, so no
        alert events (``bulk_import``)."""
        with ctx.bulk_import():
            self._write_metadata(ctx)

    def _write_metadata(self, ctx: Contexta) -> None:
        ms = ctx.metadata_store
        ms.projects.put_project(project_model(self.name, created_at=self.start, description=self.description))
        for part in _chunks(list(self._runs()), 20_000):
            ms.runs.put_runs(part)
        for part in _chunks(list(self._stages()), 40_000):
            ms.stages.put_stage_executions(part)
        for order, i in enumerate(self.deployed_runs()):
            at = self.started_at(i) + self.lasts + timedelta(minutes=10)
            ms.deployments.put_deployment_execution(
                deployment_model(
                    self.name, f"prod-{order:02d}", self.run_name(i), at, at + timedelta(minutes=5), order
                )
            )

    def records(self) -> list[MetricRecord]:
        """Each run's metrics, the last of each curve observed a minute before the run ended."""
        records = []
        if self.steps > 1:  # the curve: evenly spaced over the run, approaching the final value
            spacing = (self.lasts - timedelta(minutes=1)) / self.steps
        for i in range(self.runs):
            run, quality = self.run_name(i), self.quality(i)
            end = self.started_at(i) + self.lasts - timedelta(minutes=1)
            for stage, key in self.metrics:
                final = metric_value(key, quality)
                ref = key.replace("_", "-")
                if self.steps == 1:
                    records.append(
                        metric(
                            self.name, run, key, final, stage=stage, at=end, ref=ref, producer=self.producer
                        )
                    )
                    continue
                for step in range(1, self.steps + 1):
                    late = self.steps - step
                    value = round(final + (0.1 if "loss" in key else -0.1) * late / self.steps, 5)
                    at, step_ref = end - spacing * late, f"{ref}-{step}"
                    records.append(
                        metric(self.name, run, key, value, stage=stage, at=at, ref=step_ref,
                               producer=self.producer, step=step)
                    )  # fmt: skip
        return records

    def _runs(self) -> Iterator[Run]:
        for i in range(self.runs):
            started = self.started_at(i)
            failed = i % self.failed_every == self.failed_offset % self.failed_every
            yield run_model(
                self.name,
                self.run_name(i),
                started,
                started + self.lasts,
                status="failed" if failed else "completed",
            )

    def _stages(self) -> Iterator[StageExecution]:
        for i in range(self.runs):
            started = self.started_at(i)
            for order, stage in enumerate(self.stages):
                yield stage_model(self.name, self.run_name(i), stage, started, started + self.lasts, order)


def append_in_chunks(ctx: Contexta, records: Sequence, size: int = APPEND_CHUNK) -> None:
    """``append_many`` a transaction at a time (each chunk is all-or-nothing)."""
    for part in _chunks(records, size):
        ctx.record_store.append_many(part)


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
