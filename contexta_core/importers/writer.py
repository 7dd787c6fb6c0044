"""Writes what an importer read into the workspace: refs decided once, nothing stored twice.

Each ``write_runs`` call is one transaction holding the runs, their stages, their new records and
the import state that says they came in, so an interrupted import leaves no half run and the next
import picks up exactly where the last committed batch ended. Writes go through the store's public
API (``put_runs``, ``put_stage_executions``, ``append_many``, ``put_deployment_execution``), and
metric values through its bulk path (``append_metric_rows``). Everything is written under
``ctx.bulk_import()``: imported history raises no alerts, however recent it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..contract import (
    DeploymentExecution,
    MetricRecord,
    Project,
    RecordEnvelope,
    Run,
    StageExecution,
    StructuredEventPayload,
    StructuredEventRecord,
)
from ..direction import lower_is_better
from ..errors import ContextaError
from ..store.import_state import ImportItem, ImportStateStore
from .drafts import DeploymentDraft, ProjectDraft, RunDraft
from .naming import digest
from .summary import ImportSummary

if TYPE_CHECKING:
    from ..client import Contexta

PRODUCER = "contexta.import"
# What "best" means in a project that came from a tracker, when nobody said: the first of these
# that its runs record, else the first metric in alphabetical order.
PREFERRED_METRICS = ("accuracy", "val_accuracy", "acc", "val_acc", "f1", "auc", "val_loss", "loss")


class ImportWriter:
    def __init__(self, ctx: Contexta, source: str, summary: ImportSummary):
        self.ctx = ctx
        self.source = source
        self.summary = summary
        self.state = ImportStateStore(ctx.database)
        self._projects: dict[str, tuple[str, str]] = {}  # project item → (ref, name)
        self._new_projects: dict[str, set[str]] = {}  # ref of a project created now → metric keys seen

    # -- projects -----------------------------------------------------------------------------

    def ensure_project(self, draft: ProjectDraft) -> str | None:
        """The project's ref here, creating (or updating) it; None when it cannot be imported."""
        known = self._projects.get(draft.item)
        if known is not None:
            return known[0]
        fingerprint = digest(draft.name, draft.description, sorted(draft.tags.items()), draft.created_at)
        previous = self.state.items(self.source, keys=[draft.item]).get(draft.item)
        by_name = self.state.project_refs_by_name()
        if previous is not None and previous.target_ref:
            ref = previous.target_ref
            name = draft.name if by_name.get(draft.name, ref) == ref else _name_of(by_name, ref, draft.name)
            if previous.fingerprint == fingerprint or draft.merge_by_name:  # nothing of it came from there
                self._projects[draft.item] = (ref, name)
                return ref
            created = False
        else:
            found = self._place_project(draft, by_name)
            if found is None:
                return None
            ref, name, created = found
            if draft.merge_by_name and not created:  # joins a project that is someone else's: leave it be
                self.state.save(self.source, [ImportItem(draft.item, ref, fingerprint)])
                self._projects[draft.item] = (ref, name)
                return ref
        project = Project(
            project_ref=ref,
            name=name,
            created_at=draft.created_at,
            description=draft.description,
            tags=draft.tags,
        )
        with self.ctx.bulk_import(), self.ctx.database.transaction():
            self.ctx.metadata_store.projects.put_project(project)
            self.state.save(self.source, [ImportItem(draft.item, ref, fingerprint)])
        if created:
            self.summary.new_projects += 1
            self._new_projects[ref] = set()
        self.summary.touched(name)
        self._projects[draft.item] = (ref, name)
        return ref

    def _place_project(self, draft: ProjectDraft, by_name: dict[str, str]) -> tuple[str, str, bool] | None:
        """(ref, name, created) for a project this source has not brought in before."""
        ref = f"project:{draft.slug}"
        if draft.merge_by_name and draft.name in by_name:
            return by_name[draft.name], draft.name, False
        exists = bool(self.state.existing_refs("project", [ref]))
        if draft.fixed_ref:
            if by_name.get(draft.name, ref) != ref:
                self.summary.skip(
                    "project name already used by another project here",
                    f"{draft.name} ({by_name[draft.name]})",
                )
                return None
            return ref, draft.name, not exists
        if not exists and draft.name not in by_name:
            return ref, draft.name, True
        for n in range(2, 1000):  # a same-named project from elsewhere: keep both, side by side
            ref, name = f"project:{draft.slug[:59]}-{n}", f"{draft.name} ({n})"
            if name not in by_name and not self.state.existing_refs("project", [ref]):
                return ref, name, True
        raise ContextaError(f"too many projects named like {draft.name!r}")

    def _project(self, item: str) -> tuple[str, str] | None:
        """(ref, name) of a project this source brought in, in this pass or an earlier one."""
        if item not in self._projects:
            before = self.state.items(self.source, keys=[item]).get(item)
            if before is None or not before.target_ref:
                return None
            names = {ref: name for name, ref in self.state.project_refs_by_name().items()}
            if before.target_ref not in names:
                return None
            self._projects[item] = (before.target_ref, names[before.target_ref])
        return self._projects[item]

    # -- runs ---------------------------------------------------------------------------------

    def previous_runs(self, items: Sequence[str]) -> dict[str, ImportItem]:
        return self.state.items(self.source, keys=items)

    def write_runs(self, drafts: Sequence[RunDraft]) -> None:
        """Write a batch of runs, with their stages and new records, in one transaction."""
        if not drafts:
            return
        previous = self.previous_runs([d.item for d in drafts])
        placed = self._place_runs(drafts, previous)
        if not placed:
            return
        known_records = self.state.record_refs_of_runs([ref for d, ref in placed if d.item in previous])
        runs: list[Run] = []
        stages: list[StageExecution] = []
        records: list[MetricRecord | StructuredEventRecord] = []
        points: list[tuple] = []
        items: list[ImportItem] = []
        new_runs = 0
        for draft, ref in placed:
            project_ref, _ = self._projects[draft.project_item]
            try:
                run = Run(
                    run_ref=ref,
                    project_ref=project_ref,
                    name=draft.name[:200],
                    status=draft.status,
                    started_at=draft.started_at,
                    ended_at=draft.ended_at,
                    description=draft.description,
                )
                run_stages = [
                    StageExecution(
                        stage_execution_ref=f"stage:{ref[4:]}.{s.stage_name}",
                        run_ref=ref,
                        stage_name=s.stage_name,
                        status=s.status,
                        started_at=s.started_at,
                        ended_at=s.ended_at,
                        order_index=s.order_index,
                    )
                    for s in draft.stages
                ]
            except ContextaError as exc:
                self.summary.skip(f"run not importable: {exc.message}", draft.name)
                continue
            runs.append(run)
            stages.extend(run_stages)
            fresh = self._new_records(draft, ref, known_records)
            fresh_points = self._new_points(draft, ref, known_records)
            records.extend(fresh)
            points.extend(fresh_points)
            if draft.item in previous:
                self.summary.updated_runs += 1
            else:
                new_runs += 1
            self.summary.records += len(fresh) + len(fresh_points)
            items.append(ImportItem(draft.item, ref, draft.fingerprint, draft.is_open, draft.cursor))
            seen = self._new_projects.get(project_ref)
            if seen is not None:
                seen.update(p.key for p in draft.points)
        with self.ctx.bulk_import(), self.ctx.database.transaction():
            self.ctx.metadata_store.runs.put_runs(runs)
            self.ctx.metadata_store.stages.put_stage_executions(stages)
            if records:
                self.ctx.record_store.append_many(records)
            self.ctx.record_store.append_metric_rows(points, producer_ref=PRODUCER)
            self.state.save(self.source, items)
        self.summary.new_runs += new_runs
        for draft, _ in placed:
            self.summary.touched(self._projects[draft.project_item][1])

    def mark_seen(self, items: Iterable[ImportItem]) -> None:
        """Record new fingerprints of items whose data did not change (no data version bump)."""
        batch = list(items)
        if batch:
            with self.ctx.database.transaction(bump_version=False):
                self.state.save(self.source, batch)

    def _place_runs(
        self, drafts: Sequence[RunDraft], previous: dict[str, ImportItem]
    ) -> list[tuple[RunDraft, str]]:
        """Each draft with the ref it has (or gets) here; drafts that cannot have one are skipped."""
        wanted: dict[str, tuple[str, str]] = {}
        for d in drafts:
            if d.project_item not in self._projects:
                continue
            key = self._projects[d.project_item][0][len("project:") :]
            wanted[d.item] = (f"run:{key}.{d.slug}", f"run:{key}.{d.alt_slug}")
        candidates = [ref for pair in wanted.values() for ref in pair]
        taken = self.state.existing_refs("run", candidates)
        owners = self.state.owners(candidates)
        placed: list[tuple[RunDraft, str]] = []
        used: set[str] = set()
        for d in drafts:
            if d.project_item not in self._projects:
                self.summary.skip("its project was not imported", d.name)
                continue
            before = previous.get(d.item)
            if before is not None and before.target_ref:
                placed.append((d, before.target_ref))
                used.add(before.target_ref)
                continue
            first, second = wanted[d.item]
            if d.fixed_ref:
                if (first in taken and owners.get(first) != self.source) or first in used:
                    self.summary.skip("a run with the same ref is already in this workspace", first)
                    continue
                ref = first
            else:
                ref = next((r for r in (first, second) if r not in taken and r not in used), None)
                if ref is None:
                    ref = self._numbered(second, taken | used)
            used.add(ref)
            placed.append((d, ref))
        return placed

    def _numbered(self, ref: str, taken: set[str]) -> str:
        head, _, component = ref.rpartition(".")
        for n in range(2, 10_000):
            candidate = f"{head}.{component[:57].rstrip('-')}-{n}"
            if candidate not in taken and not self.state.existing_refs("run", [candidate]):
                return candidate
        raise ContextaError(f"no free ref like {ref}")

    def _new_points(self, draft: RunDraft, run_ref: str, known: set[str]) -> list[tuple]:
        """The draft's metric points not stored yet, as rows for ``append_metric_rows`` (keys and
        values were checked by the importer; refs are built here from checked parts)."""
        prefix = f"record:{run_ref[4:]}."
        rows: dict[str, tuple] = {}
        for key, value, step, observed_at, record_id in draft.points:
            ref = prefix + record_id
            if ref not in known:
                rows[ref] = (ref, run_ref, key, value, step, observed_at)
        return list(rows.values())

    def _new_records(
        self, draft: RunDraft, run_ref: str, known: set[str]
    ) -> list[MetricRecord | StructuredEventRecord]:
        """The draft's events and ready-made records not stored yet, as contract models."""
        prefix = f"record:{run_ref[4:]}."
        out: list[MetricRecord | StructuredEventRecord] = []
        seen: set[str] = set()
        for e in draft.events:
            ref = prefix + e.record_id
            if ref in known or ref in seen:
                continue
            seen.add(ref)
            out.append(
                StructuredEventRecord(
                    envelope=RecordEnvelope(
                        record_ref=ref,
                        record_type="event",
                        recorded_at=e.observed_at,
                        observed_at=e.observed_at,
                        producer_ref=PRODUCER,
                        run_ref=run_ref,
                    ),
                    payload=StructuredEventPayload(
                        event_key=e.key, message=e.message, attributes=e.attributes, origin_marker="imported"
                    ),
                )
            )
        for r in draft.records:
            ref = r.envelope.record_ref
            if ref in known:
                continue
            if ref in seen:
                self.summary.skip("record ref appears more than once in the source", ref)
                continue
            seen.add(ref)
            out.append(r)
        return out

    # -- deployments --------------------------------------------------------------------------

    def write_deployments(self, drafts: Sequence[DeploymentDraft]) -> None:
        """Write new or changed deployments (one transaction); a deployment keeps its ref."""
        if not drafts:
            return
        previous = self.state.items(self.source, keys=[d.item for d in drafts])
        run_items = self.state.items(self.source, keys=[d.run_item for d in drafts if d.run_item])
        fixed_runs = self.state.existing_refs("run", [d.run_ref for d in drafts if d.run_ref])
        models: list[DeploymentExecution] = []
        items: list[ImportItem] = []
        for d in drafts:
            before = previous.get(d.item)
            if before is not None and before.fingerprint == d.fingerprint:
                continue
            project = self._project(d.project_item)
            if project is None:
                self.summary.skip("deployment of a project that was not imported", d.deployment_name)
                continue
            run_ref = d.run_ref if d.run_ref in fixed_runs else None
            if d.run_ref and run_ref is None:  # the original lists it anyway: keep it, unlinked
                self.summary.skip(
                    "deployment's run is not in the source (the deployment is imported without it)",
                    f"{d.deployment_name} → {d.run_ref}",
                )
            if d.run_item is not None:
                run_state = run_items.get(d.run_item)
                run_ref = run_state.target_ref if run_state else None
            if run_ref is None and d.run_item:
                self.summary.skip(
                    "deployment of a run that was not imported (deleted, or in an experiment not selected)",
                    d.deployment_name,
                )
                continue
            ref = (
                before.target_ref
                if before
                else f"deployment:{project[0][len('project:') :]}.{d.deployment_name}"
            )
            try:
                models.append(
                    DeploymentExecution(
                        deployment_execution_ref=ref,
                        project_ref=project[0],
                        deployment_name=ref.rsplit(".", 1)[1],
                        status=d.status,
                        started_at=d.started_at,
                        ended_at=d.ended_at,
                        order_index=d.order_index,
                        run_ref=run_ref,
                        artifact_ref=d.artifact_ref,
                        environment_snapshot_ref=d.environment_snapshot_ref,
                        environment=d.environment,
                    )
                )
            except ContextaError as exc:
                self.summary.skip(f"deployment not importable: {exc.message}", d.deployment_name)
                continue
            items.append(ImportItem(d.item, ref, d.fingerprint))
            self.summary.touched(project[1])
        if not models:
            return
        with self.ctx.bulk_import(), self.ctx.database.transaction():
            for model in models:
                self.ctx.metadata_store.deployments.put_deployment_execution(model)
            self.state.save(self.source, items)
        self.summary.deployments += len(models)

    # -- the end of a pass --------------------------------------------------------------------

    def finish(self) -> None:
        """Give each project this pass created a default metric from what its runs record, so
        "best" and "trend" answer for it without anyone configuring it first."""
        for ref, keys in self._new_projects.items():
            if not keys:
                continue
            metric = next((k for k in PREFERRED_METRICS if k in keys), None) or sorted(keys)[0]
            name = next(name for r, name in self._projects.values() if r == ref)
            self.ctx.set_project_defaults(
                name, metric_key=metric, stage_name=None, higher_is_better=not lower_is_better(metric)
            )
        self._new_projects.clear()


def _name_of(by_name: dict[str, str], ref: str, fallback: str) -> str:
    return next((name for name, r in by_name.items() if r == ref), fallback)
