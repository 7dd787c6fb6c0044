"""A workspace of the original Contexta library (1.x) → this workspace, keeping its refs.

The ledger (``metadata/ledger.db``) is read with the ``duckdb`` package, read-only and only for
the moment it takes to copy its rows out, so the original library can keep using it; records come
from the append-only JSONL segments under ``records/``, read from where the last import stopped.
What the original let through but this store refuses (records of runs that are not in the ledger,
a record ref appended twice, span and degraded records) is counted in the summary as skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..contract import (
    VALUE_TYPES,
    MetricPayload,
    MetricRecord,
    RecordEnvelope,
    StructuredEventPayload,
    StructuredEventRecord,
)
from ..errors import ContractValidationError
from ..store.import_state import ImportItem
from .drafts import DeploymentDraft, ProjectDraft, RunDraft, StageDraft
from .errors import ImportSourceError, missing_extra
from .naming import digest, metric_key_from
from .progress import NoProgress, Progress
from .writer import ImportWriter

LEDGER = Path("metadata") / "ledger.db"
SEGMENTS = Path("records") / "segments"
RUN_BATCH = 200
# The original's markers that this store spells differently (or not at all).
COMPLETENESS = {"sampled": "partial", "absent": "unknown"}
DEGRADATION = {"import_loss": "partial_failure"}
ORIGIN = {
    "assisted_capture": "explicit_capture",
    "wrapped_capture": "explicit_capture",
    "replayed": "imported",
    "inferred": "derived",
}
AGGREGATION = {"operation": "step", "slice": "dataset"}
UNIMPORTED_TABLES = {
    "batch_executions": "batch executions are not kept here",
    "sample_observations": "sample observations are not kept here",
    "environment_snapshots": "environment snapshots are not kept here",
    "relations": "lineage relations are not kept here",
    "provenance_records": "provenance records are not kept here",
}
_PRODUCER_BAD = re.compile(r"[^a-z0-9._-]+")


def is_contexta1_workspace(path: Path) -> bool:
    return (path / LEDGER).is_file()


class ContextaWorkspaceImporter:
    kind = "contexta"

    def __init__(self, location: str):
        try:
            import duckdb  # noqa: F401
        except ImportError:
            raise missing_extra("duckdb", "a Contexta 1.x workspace") from None
        root = Path(location).expanduser().resolve()
        if root.name == "ledger.db":  # pointed at the ledger itself
            root = root.parent.parent
        if not is_contexta1_workspace(root):
            raise ImportSourceError(
                f"{root} is not a Contexta 1.x workspace: it has no {LEDGER} (point at the folder the "
                "original library was given as its workspace, usually .contexta)"
            )
        self.root = root
        self.source = f"contexta {root}"

    def run_pass(self, writer: ImportWriter, *, full: bool, progress: Progress | None = None) -> None:
        progress = progress or NoProgress()
        stamp = self._stamp()
        seen = writer.state.items(self.source, keys=["files"]).get("files")
        if not full and seen is not None and seen.fingerprint == digest(stamp):
            return  # neither the ledger nor any segment changed since the last pass
        ledger = self._read_ledger()
        for table, reason in UNIMPORTED_TABLES.items():
            if ledger["counts"].get(table):
                writer.summary.skip(reason, table, count=ledger["counts"][table])
        for row in ledger["projects"]:
            payload = json.loads(row["payload_json"])
            writer.ensure_project(
                ProjectDraft(
                    item=row["ref"],
                    slug=row["ref"].split(":", 1)[1],
                    name=payload["name"],
                    created_at=payload["created_at"],
                    description=payload.get("description"),
                    tags={str(k): str(v) for k, v in (payload.get("tags") or {}).items()},
                    fixed_ref=True,
                )
            )
        stages_by_run: dict[str, list[dict]] = {}
        for row in ledger["stages"]:
            stages_by_run.setdefault(row["run_ref"], []).append(json.loads(row["payload_json"]))
        run_rows = {row["ref"]: row for row in ledger["runs"]}
        stage_refs = {row["ref"] for row in ledger["stages"]}
        cursor = dict(seen.cursor or {}) if seen is not None else {}
        records, cursor = self._new_records(cursor, run_rows, stage_refs, writer)
        previous = writer.previous_runs(list(run_rows))
        drafts: list[RunDraft] = []
        for ref, row in run_rows.items():
            stages = stages_by_run.get(ref, [])
            fingerprint = digest(row["payload_json"], sorted(json.dumps(s, sort_keys=True) for s in stages))
            before = previous.get(ref)
            fresh = records.get(ref, [])
            if before is not None and before.fingerprint == fingerprint and not fresh:
                writer.summary.unchanged_runs += 1
                continue
            drafts.append(self._run_draft(row, stages, fingerprint, fresh))
        progress.start(len(drafts), "Contexta 1.x runs")
        for start in range(0, len(drafts), RUN_BATCH):
            writer.write_runs(drafts[start : start + RUN_BATCH])
            progress.advance(len(drafts[start : start + RUN_BATCH]))
        writer.write_deployments([self._deployment_draft(row) for row in ledger["deployments"]])
        if seen is None or seen.fingerprint != digest(stamp) or seen.cursor != cursor:
            writer.mark_seen([ImportItem("files", None, digest(stamp), False, cursor)])

    # -- the ledger ---------------------------------------------------------------------------

    def _read_ledger(self) -> dict[str, Any]:
        import duckdb

        path = self.root / LEDGER
        try:
            conn = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            if "lock" in first.lower():
                raise ImportSourceError(
                    f"the Contexta 1.x ledger {path} is open in another process (the original library holds "
                    "it while it runs); try again when that process has finished, or import a copy of the "
                    "workspace folder",
                    code="import_source_locked",
                ) from None
            raise ImportSourceError(f"cannot read the Contexta 1.x ledger {path}: {first}") from None
        try:
            tables = {
                name
                for (name,) in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
            missing = {"projects", "runs", "stage_executions", "deployment_executions"} - tables
            if missing:
                raise ImportSourceError(
                    f"{path} is not a Contexta 1.x ledger (no {', '.join(sorted(missing))} table)"
                )

            def rows(sql: str) -> list[dict[str, Any]]:
                cursor = conn.execute(sql)
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

            return {
                "projects": rows("SELECT ref, payload_json FROM projects ORDER BY ref"),
                "runs": rows("SELECT ref, project_ref, payload_json FROM runs ORDER BY started_at, ref"),
                "stages": rows("SELECT ref, run_ref, payload_json FROM stage_executions ORDER BY ref"),
                "deployments": rows(
                    "SELECT ref, project_ref, payload_json FROM deployment_executions ORDER BY started_at, ref"
                ),
                "counts": {
                    table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in UNIMPORTED_TABLES
                    if table in tables
                },
            }
        finally:
            conn.close()

    def _stamp(self) -> list:
        """Size and change time of the ledger and every segment: unchanged means nothing new."""
        files = [self.root / LEDGER, self.root / LEDGER.with_suffix(".db.wal"), *self._segments()]
        return [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()]

    def _segments(self) -> list[Path]:
        folder = self.root / SEGMENTS
        return sorted(folder.glob("segment-*.jsonl")) if folder.is_dir() else []

    # -- records ------------------------------------------------------------------------------

    def _new_records(
        self, cursor: dict[str, int], runs: dict[str, Any], stages: set[str], writer: ImportWriter
    ) -> tuple[dict[str, list], dict[str, int]]:
        """Records appended since ``cursor`` (segment name → byte offset), grouped by run."""
        by_run: dict[str, list] = {}
        for segment in self._segments():
            offset = cursor.get(segment.name, 0)
            if segment.stat().st_size < offset:  # rewritten (repaired): read it again; refs dedupe
                offset = 0
            for line_no, data, end in _complete_lines(segment, offset):
                cursor[segment.name] = end
                try:
                    record = _record(json.loads(data)["record"])
                except (ValueError, KeyError, TypeError) as exc:
                    writer.summary.skip(
                        f"unreadable record line: {str(getattr(exc, 'message', exc))[:120]}",
                        f"{segment.name}:{line_no}",
                    )
                    continue
                if isinstance(record, str):
                    writer.summary.skip(record, f"{segment.name}:{line_no}")
                    continue
                env = record.envelope
                if env.run_ref not in runs:
                    writer.summary.skip("record of a run that is not in the ledger", env.record_ref)
                    continue
                if env.stage_execution_ref and env.stage_execution_ref not in stages:
                    writer.summary.skip("record of a stage that is not in the ledger", env.record_ref)
                    continue
                by_run.setdefault(env.run_ref, []).append(record)
        return by_run, cursor

    def _run_draft(self, row: dict, stages: list[dict], fingerprint: str, records: list) -> RunDraft:
        p = json.loads(row["payload_json"])
        key = row["ref"].rsplit(".", 1)[1]
        return RunDraft(
            item=row["ref"],
            project_item=row["project_ref"],
            slug=key,
            alt_slug=key,
            name=p["name"],
            status=p["status"],
            started_at=p["started_at"],
            ended_at=p.get("ended_at"),
            description=p.get("description"),
            fingerprint=fingerprint,
            fixed_ref=True,
            stages=[
                StageDraft(
                    s["stage_name"], s["status"], s["started_at"], s.get("ended_at"), s.get("order_index")
                )
                for s in sorted(
                    stages, key=lambda s: (s.get("order_index") is None, s.get("order_index") or 0)
                )
            ],
            records=records,
        )

    def _deployment_draft(self, row: dict) -> DeploymentDraft:
        p = json.loads(row["payload_json"])
        return DeploymentDraft(
            item=row["ref"],
            run_item=None,
            project_item=row["project_ref"],
            deployment_name=p["deployment_name"],
            status=p["status"],
            started_at=p["started_at"],
            ended_at=p.get("ended_at"),
            order_index=p.get("order_index"),
            artifact_ref=p.get("artifact_ref"),
            environment_snapshot_ref=p.get("environment_snapshot_ref"),
            fingerprint=digest(row["payload_json"]),
            run_ref=p.get("run_ref"),
        )


def _complete_lines(path: Path, offset: int) -> Iterator[tuple[int, bytes, int]]:
    """(line number from the offset, line, byte offset after it) for each complete line; a line
    still being written (no newline yet) is left for the next pass."""
    with path.open("rb") as handle:
        handle.seek(offset)
        position = offset
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                return
            position += len(line)
            if line.strip():
                yield number, line, position


def _record(raw: dict[str, Any]) -> MetricRecord | StructuredEventRecord | str:
    """One original record as this store's model, or why it cannot be one."""
    env, payload = raw["envelope"], raw["payload"]
    kind = env.get("record_type")
    if kind not in ("metric", "event"):
        return f"{kind} records are not kept here"
    correlation = {k: str(v) for k, v in (env.get("correlation_refs") or {}).items() if v is not None}
    envelope = RecordEnvelope(
        record_ref=env["record_ref"],
        record_type=kind,
        recorded_at=env["recorded_at"],
        observed_at=env["observed_at"],
        producer_ref=_PRODUCER_BAD.sub("-", env["producer_ref"].lower()).strip("-._") or "contexta1",
        run_ref=env["run_ref"],
        stage_execution_ref=env.get("stage_execution_ref"),
        batch_execution_ref=env.get("batch_execution_ref"),
        sample_observation_ref=env.get("sample_observation_ref"),
        completeness_marker=COMPLETENESS.get(
            env.get("completeness_marker"), env.get("completeness_marker", "complete")
        ),
        degradation_marker=DEGRADATION.get(
            env.get("degradation_marker"), env.get("degradation_marker", "none")
        ),
        correlation_refs=correlation,
        extensions=tuple(env.get("extensions") or ()),
    )
    if kind == "metric":
        key = metric_key_from(payload["metric_key"])
        if key is None:
            raise ContractValidationError(f"metric key {payload['metric_key']!r} has no letters or digits")
        value = payload["value"]
        value_type = payload.get("value_type")
        if value_type not in VALUE_TYPES:
            value_type = "int64" if isinstance(value, int) else "float64"
        return MetricRecord(
            envelope=envelope,
            payload=MetricPayload(
                metric_key=key,
                value=value,
                value_type=value_type,
                unit=payload.get("unit"),
                aggregation_scope=AGGREGATION.get(
                    payload.get("aggregation_scope"), payload.get("aggregation_scope", "step")
                ),
                tags={str(k): str(v) for k, v in (payload.get("tags") or {}).items()},
            ),
        )
    return StructuredEventRecord(
        envelope=envelope,
        payload=StructuredEventPayload(
            event_key=metric_key_from(payload["event_key"]) or "event",
            level=payload.get("level", "info"),
            message=payload["message"],
            attributes=payload.get("attributes") or {},
            origin_marker=ORIGIN.get(
                payload.get("origin_marker"), payload.get("origin_marker", "explicit_capture")
            ),
        ),
    )
