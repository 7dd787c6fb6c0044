"""Projects, runs, stages and deployments: idempotent ``put_*`` by ref, ``get_*``, ``list_*``.

``put_*`` refuses rows whose owner does not exist (a run of a missing project, a stage of a missing
run, a deployment of a missing run) instead of storing orphans as the original library did.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select, update

from ..contract import DeploymentExecution, Project, Run, StageExecution
from ..errors import IntegrityViolation, NotFoundError, hint_tail, name_hints
from . import outbox, schema
from .engine import Database
from .sql import chunked, fetch_in, upsert


def _owner_id(conn: Connection, table, ref: str, what: str, hint: str) -> int:
    found = conn.execute(select(table.c.id).where(table.c.ref == ref)).scalar()
    if found is None:
        raise IntegrityViolation(
            f"{what} `{ref}` does not exist; {hint}", code="missing_owner", details={"kind": what, "ref": ref}
        )
    return found


def _not_found(conn: Connection, table, ref: str, model: str) -> NotFoundError:
    refs = conn.execute(select(table.c.ref).limit(5000)).scalars().all()
    hints = name_hints(ref, refs, kind=model.lower())
    tail = hint_tail(hints)
    return NotFoundError(f"no {model} `{ref}`{tail}", code="unknown_ref", details={"ref": ref, **hints})


class ProjectRepository:
    def __init__(self, db: Database):
        self._db = db

    def put_project(self, project: Project) -> Project:
        row = {
            "ref": project.project_ref,
            "name": project.name,
            "description": project.description,
            "created_at": project.created_at,
            "tags": dict(project.tags),
            "settings": {},
        }
        with self._db.writing() as conn:
            clash = conn.execute(
                select(schema.projects.c.ref).where(
                    schema.projects.c.name == project.name, schema.projects.c.ref != project.project_ref
                )
            ).scalar()
            if clash:
                raise IntegrityViolation(
                    f"project name {project.name!r} is already used by `{clash}`; project names must be unique",
                    code="project_name_taken",
                    details={"name": project.name, "ref": clash},
                )
            conn.execute(
                upsert(
                    schema.projects, self._db.dialect, ["ref"], ["name", "description", "created_at", "tags"]
                ),
                row,
            )
        return project

    def get_project(self, project_ref: str) -> Project:
        with self._db.reading() as conn:
            row = conn.execute(select(schema.projects).where(schema.projects.c.ref == project_ref)).first()
            if row is None:
                raise _not_found(conn, schema.projects, project_ref, "project")
        return _project(row)

    def find_project(self, project_ref: str) -> Project | None:
        with self._db.reading() as conn:
            row = conn.execute(select(schema.projects).where(schema.projects.c.ref == project_ref)).first()
        return _project(row) if row else None

    def exists_project(self, project_ref: str) -> bool:
        return self.find_project(project_ref) is not None

    def list_projects(self) -> tuple[Project, ...]:
        with self._db.reading() as conn:
            rows = conn.execute(
                select(schema.projects).order_by(schema.projects.c.name, schema.projects.c.ref)
            ).all()
        return tuple(_project(r) for r in rows)

    def get_settings(self, project_ref: str) -> dict[str, Any]:
        with self._db.reading() as conn:
            settings = conn.execute(
                select(schema.projects.c.settings).where(schema.projects.c.ref == project_ref)
            ).scalar()
        return dict(settings or {})

    def set_settings(self, project_ref: str, settings: dict[str, Any]) -> None:
        with self._db.writing() as conn:
            done = conn.execute(
                update(schema.projects).where(schema.projects.c.ref == project_ref).values(settings=settings)
            )
            if done.rowcount == 0:
                raise _not_found(conn, schema.projects, project_ref, "project")


class RunRepository:
    def __init__(self, db: Database):
        self._db = db

    def put_run(self, run: Run) -> Run:
        self.put_runs([run])
        return run

    def put_runs(self, runs: Iterable[Run]) -> int:
        """Upsert many runs in one transaction (all or nothing); returns how many."""
        batch = list(runs)
        if not batch:
            return 0
        with self._db.writing() as conn:
            project_ids = {
                ref: _owner_id(conn, schema.projects, ref, "project", "put_project() it first")
                for ref in {run.project_ref for run in batch}
            }
            rows = [
                {
                    "ref": run.run_ref,
                    "project_id": project_ids[run.project_ref],
                    "run_key": run.run_ref.rsplit(".", 1)[1],
                    "name": run.name,
                    "status": run.status,
                    "started_at": run.started_at,
                    "ended_at": run.ended_at,
                    "description": run.description,
                }
                for run in batch
            ]
            ended = [
                (run.run_ref, run.status, run.ended_at) for run in batch if run.status in outbox.RUN_EVENTS
            ]
            noting = ended and not self._db.in_bulk_import
            before = outbox.previous_statuses(conn, schema.runs, [e[0] for e in ended]) if noting else {}
            conn.execute(upsert(schema.runs, self._db.dialect, ["ref"]), rows)
            self._sync_summary_times(conn, batch)
            if noting:  # in this transaction: the event commits with the change or not at all
                outbox.note_run_endings(conn, ended, before)
        return len(batch)

    def _sync_summary_times(self, conn: Connection, batch: list[Run]) -> None:
        """Keep the start time copied into metric_summaries (best-run tie-breaks) in step."""
        s = schema.metric_summaries
        for part in chunked([run.run_ref for run in batch]):
            conn.execute(
                update(s)
                .where(s.c.run_id == schema.runs.c.id, schema.runs.c.ref.in_(part))
                .values(run_started_at=schema.runs.c.started_at)
            )

    def get_run(self, run_ref: str) -> Run:
        with self._db.reading() as conn:
            row = conn.execute(_run_select().where(schema.runs.c.ref == run_ref)).first()
            if row is None:
                raise _not_found(conn, schema.runs, run_ref, "run")
        return _run(row)

    def find_run(self, run_ref: str) -> Run | None:
        with self._db.reading() as conn:
            row = conn.execute(_run_select().where(schema.runs.c.ref == run_ref)).first()
        return _run(row) if row else None

    def exists_run(self, run_ref: str) -> bool:
        return self.find_run(run_ref) is not None

    def list_runs(self, project_ref: str | None = None) -> tuple[Run, ...]:
        stmt = _run_select()
        if project_ref is not None:
            stmt = stmt.where(schema.projects.c.ref == project_ref)
        with self._db.reading() as conn:
            rows = conn.execute(
                stmt.order_by(schema.projects.c.ref, schema.runs.c.started_at, schema.runs.c.ref)
            ).all()
        return tuple(_run(r) for r in rows)


class StageRepository:
    def __init__(self, db: Database):
        self._db = db

    def put_stage_execution(self, stage: StageExecution) -> StageExecution:
        self.put_stage_executions([stage])
        return stage

    def put_stage_executions(self, stages: Iterable[StageExecution]) -> int:
        """Upsert many stages in one transaction (all or nothing); returns how many."""
        batch = list(stages)
        if not batch:
            return 0
        with self._db.writing() as conn:
            run_refs = sorted({stage.run_ref for stage in batch})
            run_ids = {
                row.ref: row.id
                for row in fetch_in(
                    conn, select(schema.runs.c.ref, schema.runs.c.id), schema.runs.c.ref, run_refs
                )
            }
            missing = [ref for ref in run_refs if ref not in run_ids]
            if missing:
                raise IntegrityViolation(
                    f"run `{missing[0]}` does not exist; put_run() it before its stages",
                    code="missing_owner",
                    details={"kind": "run", "ref": missing[0]},
                )
            rows = [
                {
                    "ref": stage.stage_execution_ref,
                    "run_id": run_ids[stage.run_ref],
                    "stage_name": stage.stage_name,
                    "status": stage.status,
                    "started_at": stage.started_at,
                    "ended_at": stage.ended_at,
                    "order_index": stage.order_index,
                }
                for stage in batch
            ]
            conn.execute(upsert(schema.stages, self._db.dialect, ["ref"]), rows)
        return len(batch)

    def get_stage_execution(self, stage_ref: str) -> StageExecution:
        with self._db.reading() as conn:
            row = conn.execute(_stage_select().where(schema.stages.c.ref == stage_ref)).first()
            if row is None:
                raise _not_found(conn, schema.stages, stage_ref, "stage")
        return _stage(row)

    def find_stage_execution(self, stage_ref: str) -> StageExecution | None:
        with self._db.reading() as conn:
            row = conn.execute(_stage_select().where(schema.stages.c.ref == stage_ref)).first()
        return _stage(row) if row else None

    def list_stage_executions(self, run_ref: str) -> tuple[StageExecution, ...]:
        stmt = (
            _stage_select()
            .where(schema.runs.c.ref == run_ref)
            .order_by(schema.stages.c.order_index, schema.stages.c.started_at, schema.stages.c.id)
        )
        with self._db.reading() as conn:
            return tuple(_stage(r) for r in conn.execute(stmt).all())


class DeploymentRepository:
    def __init__(self, db: Database):
        self._db = db

    def put_deployment_execution(self, deployment: DeploymentExecution) -> DeploymentExecution:
        with self._db.writing() as conn:
            project_id = _owner_id(
                conn, schema.projects, deployment.project_ref, "project", "put_project() it first"
            )
            run_id = None
            if deployment.run_ref is not None:
                run_id = _owner_id(
                    conn, schema.runs, deployment.run_ref, "deployed run", "put_run() it before deploying it"
                )
            row = {
                "ref": deployment.deployment_execution_ref,
                "project_id": project_id,
                "run_id": run_id,
                "name": deployment.deployment_name,
                "environment": deployment.environment,
                "status": deployment.status,
                "started_at": deployment.started_at,
                "ended_at": deployment.ended_at,
                "order_index": deployment.order_index,
                "artifact_ref": deployment.artifact_ref,
                "environment_snapshot_ref": deployment.environment_snapshot_ref,
            }
            noting = deployment.status == outbox.LIVE and not self._db.in_bulk_import
            ref = deployment.deployment_execution_ref
            before = outbox.previous_statuses(conn, schema.deployments, [ref]).get(ref) if noting else None
            conn.execute(upsert(schema.deployments, self._db.dialect, ["ref"]), row)
            if noting:
                outbox.note_deployment(conn, ref, deployment.started_at, before)
        return deployment

    def get_deployment_execution(self, deployment_ref: str) -> DeploymentExecution:
        with self._db.reading() as conn:
            row = conn.execute(_deployment_select().where(schema.deployments.c.ref == deployment_ref)).first()
            if row is None:
                raise _not_found(conn, schema.deployments, deployment_ref, "deployment")
        return _deployment(row)

    def find_deployment_execution(self, deployment_ref: str) -> DeploymentExecution | None:
        with self._db.reading() as conn:
            row = conn.execute(_deployment_select().where(schema.deployments.c.ref == deployment_ref)).first()
        return _deployment(row) if row else None

    def list_deployment_executions(
        self, *, project_ref: str | None = None, run_ref: str | None = None
    ) -> tuple[DeploymentExecution, ...]:
        stmt = _deployment_select()
        if project_ref is not None:
            stmt = stmt.where(schema.projects.c.ref == project_ref)
        if run_ref is not None:
            stmt = stmt.where(schema.runs.c.ref == run_ref)
        stmt = stmt.order_by(
            schema.deployments.c.started_at, schema.deployments.c.order_index, schema.deployments.c.id
        )
        with self._db.reading() as conn:
            return tuple(_deployment(r) for r in conn.execute(stmt).all())


class MetadataStore:
    """What the seed scripts call ``ctx.metadata_store``."""

    def __init__(self, db: Database):
        self._db = db
        self.projects = ProjectRepository(db)
        self.runs = RunRepository(db)
        self.stages = StageRepository(db)
        self.deployments = DeploymentRepository(db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MetadataStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- row → model (rows come from our own validated writes, so they are trusted) --------------------


def _run_select():
    return select(schema.runs, schema.projects.c.ref.label("project_ref")).join(
        schema.projects, schema.projects.c.id == schema.runs.c.project_id
    )


def _stage_select():
    return select(schema.stages, schema.runs.c.ref.label("run_ref")).join(
        schema.runs, schema.runs.c.id == schema.stages.c.run_id
    )


def _deployment_select():
    return (
        select(
            schema.deployments, schema.projects.c.ref.label("project_ref"), schema.runs.c.ref.label("run_ref")
        )
        .join(schema.projects, schema.projects.c.id == schema.deployments.c.project_id)
        .outerjoin(schema.runs, schema.runs.c.id == schema.deployments.c.run_id)
    )


def _project(row) -> Project:
    return Project.model_construct(
        project_ref=row.ref,
        name=row.name,
        created_at=row.created_at,
        description=row.description,
        tags=row.tags or {},
    )


def _run(row) -> Run:
    return Run.model_construct(
        run_ref=row.ref,
        project_ref=row.project_ref,
        name=row.name,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        description=row.description,
    )


def _stage(row) -> StageExecution:
    return StageExecution.model_construct(
        stage_execution_ref=row.ref,
        run_ref=row.run_ref,
        stage_name=row.stage_name,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        order_index=row.order_index,
    )


def _deployment(row) -> DeploymentExecution:
    return DeploymentExecution.model_construct(
        deployment_execution_ref=row.ref,
        project_ref=row.project_ref,
        deployment_name=row.name,
        environment=row.environment,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        order_index=row.order_index,
        run_ref=row.run_ref,
        artifact_ref=row.artifact_ref,
        environment_snapshot_ref=row.environment_snapshot_ref,
    )
