"""MLflow → this workspace, read through MLflow's own client.

Experiment → project, run → run (name, status, start, end), each metric's full step history →
run-level metric records (so the latest per key is the run's value), params and tags → one event
each, registered model versions with an alias or in stage Production → deployments of the run
they came from, at the version's last update.

A full pass lists every run and re-reads only those whose fingerprint (status, end, latest
metrics, params, tags) changed. A watch pass asks only for runs started since the last one (less
a margin for clock skew between training machines) and runs that were still running, so it costs
a few queries however many runs there are.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import redact_url
from ..errors import did_you_mean
from ..store.import_state import ImportItem
from .drafts import DeploymentDraft, EventDraft, MetricPoint, ProjectDraft, RunDraft
from .errors import ImportSourceError, missing_extra
from .naming import digest, metric_key_from, point_id, ref_component
from .progress import NoProgress, Progress
from .writer import ImportWriter

STATUSES = {
    "FINISHED": "completed",
    "FAILED": "failed",
    "KILLED": "cancelled",
    "RUNNING": "open",
    "SCHEDULED": "open",
}
RUN_BATCH = 200  # runs per transaction (and per bulk history query)
PAGE = 10_000
CLOCK_MARGIN_MS = 10 * 60 * 1000  # watch passes look this far behind the newest start they saw
DEPLOYED_STAGES = {"Production": "production"}
# Aliases that mean "serving in production"; others (challenger, candidate…) are only counted as
# deployments when asked for (``deployment_aliases``), or "what is live" would name a challenger.
PRODUCTION_ALIASES = frozenset({"champion", "production", "prod", "live", "serving", "deployed"})
HISTORY_THREADS = 8  # per-run history requests in flight against a server


def _ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


def tracking_uri_for(location: str) -> str:
    """A tracking URI from what a person types: a URI as it is, a folder as a file store."""
    if "://" in location or location.startswith(("sqlite:", "postgresql:", "databricks")):
        return location
    path = Path(location).expanduser()
    if not path.exists():
        raise ImportSourceError(
            f"{location!r} is neither a tracking URI (sqlite:///mlflow.db, postgresql://…, http://host:5000) "
            "nor an existing mlruns/ folder"
        )
    if path.is_file():
        return f"sqlite:///{path.resolve()}"
    return path.resolve().as_uri()


class MlflowImporter:
    kind = "mlflow"

    def __init__(
        self, location: str, *, experiments: Sequence[str] = (), deployment_aliases: Sequence[str] = ()
    ):
        try:
            from mlflow.tracking import MlflowClient
        except ImportError:
            raise missing_extra("mlflow-skinny", "MLflow runs") from None
        self.uri = tracking_uri_for(location)
        if self.uri.startswith("file:"):
            os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")  # deprecated, refused otherwise
        self.source = f"mlflow {redact_url(self.uri)}"
        self.experiment_names = tuple(experiments)
        self.deployment_aliases = PRODUCTION_ALIASES | {a.lower() for a in deployment_aliases}
        self.client = MlflowClient(tracking_uri=self.uri, registry_uri=self.uri)
        self._store = None

    # -- one pass -----------------------------------------------------------------------------

    def run_pass(self, writer: ImportWriter, *, full: bool, progress: Progress | None = None) -> None:
        progress = progress or NoProgress()
        experiments = self._experiments()
        projects = {}
        for exp in experiments:
            projects[exp.experiment_id] = ProjectDraft(
                item=f"experiment/{exp.experiment_id}",
                slug=ref_component(exp.name, f"experiment-{exp.experiment_id}"),
                name=exp.name.strip() or f"experiment {exp.experiment_id}",
                created_at=_ms(exp.creation_time) or datetime.now(UTC),
                description=(exp.tags or {}).get("mlflow.note.content") or None,
            )
        stored = self._watermark(writer)
        watermark = None if full else stored
        runs = list(self._runs(list(projects), watermark, writer))
        progress.start(len(runs), "MLflow runs")
        previous = writer.previous_runs([f"run/{r.info.run_id}" for r in runs])
        changed = []
        for run in runs:
            before = previous.get(f"run/{run.info.run_id}")
            if before is not None and before.fingerprint == _fingerprint(run):
                writer.summary.unchanged_runs += 1
                progress.advance()
                continue
            changed.append(run)
        if full:
            names = {r.info.experiment_id for r in runs}
            for exp in experiments:
                if exp.experiment_id not in names:
                    writer.summary.skip("experiment has no runs", exp.name)
        for exp_id in sorted({r.info.experiment_id for r in changed}):
            writer.ensure_project(projects[exp_id])
        batches = [changed[start : start + RUN_BATCH] for start in range(0, len(changed), RUN_BATCH)]
        with ThreadPoolExecutor(1) as reader:  # the next batch is read while this one is written
            pending = reader.submit(self._histories, batches[0]) if batches else None
            for n, batch in enumerate(batches):
                histories = pending.result()
                if n + 1 < len(batches):
                    pending = reader.submit(self._histories, batches[n + 1])
                drafts = [self._draft(run, histories, writer) for run in batch]
                writer.write_runs([d for d in drafts if d is not None])
                progress.advance(len(batch))
        self._deployments(writer)
        newest = max((r.info.start_time or 0 for r in runs), default=0)
        if newest > (stored or 0):
            writer.mark_seen([ImportItem("watermark", cursor=newest)])

    # -- reading ------------------------------------------------------------------------------

    def _experiments(self):
        found = []
        token = None
        while True:
            page = self.client.search_experiments(max_results=1000, page_token=token)
            found.extend(page)
            token = page.token
            if not token:
                break
        if not self.experiment_names:
            return found
        by_name = {e.name: e for e in found}
        missing = [n for n in self.experiment_names if n not in by_name]
        if missing:
            tail, _ = did_you_mean(missing[0], by_name, what="experiment")
            raise ImportSourceError(f"no MLflow experiment {missing[0]!r} at {redact_url(self.uri)}{tail}")
        return [by_name[n] for n in self.experiment_names]

    def _runs(self, experiment_ids: list[str], watermark: int | None, writer: ImportWriter) -> Iterator[Any]:
        if not experiment_ids:
            return
        if watermark is None:
            yield from self._search(experiment_ids, "")
            return
        seen = set()
        for run in self._search(experiment_ids, f"attributes.start_time >= {watermark - CLOCK_MARGIN_MS}"):
            seen.add(run.info.run_id)
            yield run
        open_ids = [i.item.split("/", 1)[1] for i in writer.state.open_items(writer.source).values()]
        open_ids = [i for i in open_ids if i not in seen]
        for start in range(0, len(open_ids), 100):
            ids = ", ".join(f"'{i}'" for i in open_ids[start : start + 100])
            yield from self._search(experiment_ids, f"attributes.run_id IN ({ids})")

    def _search(self, experiment_ids: list[str], filter_string: str) -> Iterator[Any]:
        token = None
        while True:
            page = self.client.search_runs(
                experiment_ids,
                filter_string,
                max_results=PAGE,
                order_by=["attributes.start_time ASC"],
                page_token=token,
            )
            yield from page
            token = page.token
            if not token:
                return

    def _histories(self, runs: Sequence[Any]) -> dict[tuple[str, str], list[tuple]]:
        """(run id, metric key) → every logged (value, timestamp, step). A SQL tracking store is
        read in one query per batch, through MLflow's own store session and table models (its
        entity API builds an ORM object per value: 3 million of them take minutes); a server or a
        file store answers MLflow's client, one request per run and key, several at once."""
        wanted = [(r.info.run_id, key) for r in runs for key in r.data.metrics]
        out: dict[tuple[str, str], list[tuple]] = {pair: [] for pair in wanted}
        store = self._tracking_store()
        if type(store).__name__ == "SqlAlchemyStore":
            from mlflow.store.tracking.dbmodels.models import SqlMetric

            m = SqlMetric
            with store.ManagedSessionMaker() as session:
                rows = session.query(m.run_uuid, m.key, m.value, m.timestamp, m.step, m.is_nan).filter(
                    m.run_uuid.in_([r.info.run_id for r in runs])
                )
                for run_id, key, value, timestamp, step, is_nan in rows:
                    history = out.get((run_id, key))
                    if history is not None:
                        history.append((math.nan if is_nan else value, timestamp, step))
            return out
        with ThreadPoolExecutor(HISTORY_THREADS) as pool:
            for pair, history in zip(
                wanted, pool.map(lambda p: self.client.get_metric_history(*p), wanted), strict=True
            ):
                out[pair] = [(m.value, m.timestamp, m.step) for m in history]
        return out

    def _tracking_store(self):
        if self._store is None:
            self._store = self.client._tracking_client.store  # the bulk history read has no public face
        return self._store

    def _draft(self, run: Any, histories: dict, writer: ImportWriter) -> RunDraft | None:
        info, data = run.info, run.data
        name = (info.run_name or data.tags.get("mlflow.runName") or info.run_id).strip() or info.run_id
        status = STATUSES.get(info.status)
        if status is None:
            writer.summary.skip(f"unknown MLflow run status {info.status!r}", name)
            return None
        points = self._points(run, histories, writer, name)
        started = _ms(info.start_time)
        if started is None:  # never started (scheduled): its first value, else skip
            started = min((p.observed_at for p in points), default=None)
            if started is None:
                writer.summary.skip("run has no start time and no values", name)
                return None
        ended = None
        if status != "open":
            last = max((p.observed_at for p in points), default=started)
            ended = max(_ms(info.end_time) or last, started)
        events = []
        if data.params:
            events.append(
                EventDraft(
                    "mlflow.params",
                    f"{len(data.params)} parameters",
                    dict(data.params),
                    started,
                    f"params-{digest(sorted(data.params.items()))}",
                )
            )
        tags = {k: v for k, v in data.tags.items() if k != "mlflow.log-model.history"}
        if tags:
            events.append(
                EventDraft(
                    "mlflow.tags", f"{len(tags)} tags", tags, started, f"tags-{digest(sorted(tags.items()))}"
                )
            )
        slug = ref_component(name, info.run_id)
        return RunDraft(
            item=f"run/{info.run_id}",
            project_item=f"experiment/{info.experiment_id}",
            slug=slug,
            alt_slug=f"{slug[:54].rstrip('-')}-{info.run_id[:8]}",
            name=name,
            status=status,
            started_at=started,
            ended_at=ended,
            description=data.tags.get("mlflow.note.content") or None,
            fingerprint=_fingerprint(run),
            is_open=status == "open",
            cursor=info.experiment_id,
            points=points,
            events=events,
        )

    def _points(self, run: Any, histories: dict, writer: ImportWriter, name: str) -> list[MetricPoint]:
        points: list[MetricPoint] = []
        used: dict[str, str] = {}
        for source_key in run.data.metrics:
            key = metric_key_from(source_key)
            if key is None or used.setdefault(key, source_key) != source_key:
                reason = (
                    "metric key has no letters or digits"
                    if key is None
                    else f"metric key maps to {key!r}, as another key of the run does"
                )
                writer.summary.skip(reason, f"{name}: {source_key}")
                continue
            history = sorted(histories.get((run.info.run_id, source_key), ()), key=lambda m: (m[1], m[2]))
            bad = 0
            for value, timestamp, step in history:
                if not isinstance(value, int | float) or not math.isfinite(value):
                    bad += 1
                    continue
                value = float(value)
                record_id = point_id(source_key, step, timestamp, value)
                step = step if step is not None and step >= 0 else None
                points.append(MetricPoint(key, value, step, _ms(timestamp), record_id))
            if bad:
                writer.summary.skip("metric value is NaN or infinite", f"{name}: {source_key}", count=bad)
        return points

    # -- registry -----------------------------------------------------------------------------

    def _deployments(self, writer: ImportWriter) -> None:
        """Model versions with an alias or in stage Production, as deployments of their runs."""
        try:
            models = self._registered_models()
            # A model whose update time and aliases are as last seen has the same versions (a new
            # version or a stage change updates the model's time; aliases come with the model).
            seen = writer.state.items(writer.source, keys=[f"registry/{m.name}" for m in models])
            marks = {
                m.name: digest(m.last_updated_timestamp, sorted((m.aliases or {}).items())) for m in models
            }
            models = [
                m
                for m in models
                if getattr(seen.get(f"registry/{m.name}"), "fingerprint", None) != marks[m.name]
            ]
            versions = {model.name: self._versions(model.name) for model in models}
        except Exception as exc:  # a tracking store without a registry (or one refusing access)
            writer.summary.skip(f"model registry not readable: {str(exc).splitlines()[0][:160]}", self.uri)
            return
        if not models:
            return
        run_items = [f"run/{v.run_id}" for vs in versions.values() for v in vs if v.run_id]
        imported = writer.state.items(writer.source, keys=run_items)
        drafts = []
        for model in models:
            aliases: dict[str, list[str]] = {}
            for alias, version in (model.aliases or {}).items():
                aliases.setdefault(str(version), []).append(alias)
            for version in versions[model.name]:
                labels = []
                for alias in sorted(aliases.get(str(version.version), ())):
                    if alias.lower() in self.deployment_aliases:
                        labels.append(alias)
                    else:
                        writer.summary.skip(
                            f"model version under alias {alias!r}: not production (--alias {alias} counts it)",
                            f"{model.name} v{version.version}",
                        )
                if version.current_stage == "Staging":
                    writer.summary.skip(
                        "model version in stage Staging: not production", f"{model.name} v{version.version}"
                    )
                environments = {a: ref_component(a, "alias") for a in labels}
                if version.current_stage in DEPLOYED_STAGES:
                    labels.append(version.current_stage)
                    environments[version.current_stage] = DEPLOYED_STAGES[version.current_stage]
                if not labels:
                    continue
                run = imported.get(f"run/{version.run_id}") if version.run_id else None
                if run is None:
                    writer.summary.skip(
                        "deployed model version whose run was not imported (no run, deleted, or another "
                        "experiment)",
                        f"{model.name} v{version.version}",
                        count=len(labels),
                    )
                    continue
                when = _ms(max(version.last_updated_timestamp or 0, version.creation_timestamp or 0))
                for label in labels:
                    name = ref_component(f"{model.name}-v{version.version}-{label}", "model")
                    if len(name) > 63:
                        name = f"{name[:46].rstrip('-')}-{digest(name)}"
                    drafts.append(
                        DeploymentDraft(
                            item=f"model/{model.name}/{version.version}/{label}",
                            run_item=f"run/{version.run_id}",
                            project_item=f"experiment/{run.cursor}",
                            deployment_name=name,
                            status="completed",
                            started_at=when,
                            ended_at=when,
                            environment=environments[label],
                            fingerprint=digest(version.run_id, when, label),
                        )
                    )
        writer.write_deployments(drafts)
        writer.mark_seen([ImportItem(f"registry/{m.name}", None, marks[m.name]) for m in models])

    def _registered_models(self) -> list[Any]:
        found, token = [], None
        while True:
            page = self.client.search_registered_models(max_results=1000, page_token=token)
            found.extend(page)
            token = page.token
            if not token:
                return found

    def _versions(self, model_name: str) -> list[Any]:
        found, token = [], None
        escaped = model_name.replace("'", "\\'")
        while True:
            page = self.client.search_model_versions(
                f"name = '{escaped}'", max_results=10_000, page_token=token
            )
            found.extend(page)
            token = page.token
            if not token:
                return found

    def _watermark(self, writer: ImportWriter) -> int | None:
        """The newest run start seen so far (ms), where watch passes start looking."""
        item = writer.state.items(writer.source, keys=["watermark"]).get("watermark")
        return int(item.cursor) if item and item.cursor is not None else None


def _fingerprint(run: Any) -> str:
    info, data = run.info, run.data
    return digest(
        info.status,
        info.start_time,
        info.end_time,
        info.run_name,
        sorted(data.metrics.items()),
        sorted(data.params.items()),
        sorted(data.tags.items()),
    )
