"""Turning what a person typed (project names, run ids) into stored rows, or a helpful error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from ..errors import QueryError, UnknownProjectError, UnknownRunError, did_you_mean
from ..store import schema as t
from ..store.sql import fetch_in

LARGE_SELECTION = 2000  # above this many ids of one project, reading the whole project is cheaper


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    ref: str
    name: str
    project_id: int
    started_at: datetime
    status: str


def resolve_project(conn: Connection, wanted: str) -> ProjectRow:
    """A project by name, by ``project:`` ref, or by the ref's value; else suggest close names."""
    text = (wanted or "").strip()
    if not text:
        raise QueryError("no project given; name one, e.g. `churn-prediction`")
    p = t.projects
    row = conn.execute(
        select(p.c.id, p.c.ref, p.c.name).where((p.c.name == text) | (p.c.ref == text) | (p.c.ref == f"project:{text}"))
    ).first()
    if row is None:  # be forgiving about case
        lowered = text.lower()
        for candidate in conn.execute(select(p.c.id, p.c.ref, p.c.name)).all():
            if lowered in (candidate.name.lower(), candidate.ref.partition(":")[2]):
                row = candidate
                break
    if row is None:
        names = conn.execute(select(p.c.name).order_by(p.c.name)).scalars().all()
        tail, suggestions = did_you_mean(text, names, what="project")
        raise UnknownProjectError(f"no project `{text}`{tail}", suggestions=suggestions, details={"project": text})
    return ProjectRow(row.id, row.ref, row.name)


def resolve_runs(conn: Connection, run_ids: Sequence[str]) -> list[RunRow]:
    """Rows for ``run_ids`` in the given order. Full ``run:`` refs or bare run ids (unique suffixes)."""
    if isinstance(run_ids, str):
        raise QueryError("run_ids must be a list of run ids, not a single string")
    ids = list(run_ids)
    if not ids:
        raise QueryError("no run ids given; pass at least one, e.g. ['run:churn-prediction.churn-v1-jan']")
    r = t.runs
    columns = select(r.c.id, r.c.ref, r.c.name, r.c.project_id, r.c.started_at, r.c.status)
    by_project: dict[str, list[str]] = defaultdict(list)
    bare: list[str] = []
    for given in ids:
        if not isinstance(given, str):
            raise QueryError(f"run id {given!r} is not text")
        if given.startswith("run:"):
            by_project[given[4:].split(".", 1)[0]].append(given)
        else:
            bare.append(given)
    found: dict[str, RunRow] = {}
    for project_value, refs in by_project.items():
        if len(refs) > LARGE_SELECTION:
            stmt = columns.join(t.projects, t.projects.c.id == r.c.project_id).where(
                t.projects.c.ref == f"project:{project_value}"
            )
            rows = conn.execute(stmt).all()
        else:
            rows = fetch_in(conn, columns, r.c.ref, sorted(set(refs)))
        for row in rows:
            found[row.ref] = RunRow(row.id, row.ref, row.name, row.project_id, row.started_at, row.status)
    if bare:
        matches: dict[str, list] = defaultdict(list)
        for row in fetch_in(conn, columns, r.c.run_key, sorted(set(bare))):
            matches[row.ref.rsplit(".", 1)[1]].append(row)
        for given in bare:
            hits = matches.get(given, [])
            if len(hits) > 1:
                raise UnknownRunError(
                    f"run id `{given}` is ambiguous: it names {', '.join(f'`{h.ref}`' for h in hits)}; "
                    "pass the full ref",
                    suggestions=[h.ref for h in hits],
                )
            if hits:
                row = hits[0]
                found[given] = RunRow(row.id, row.ref, row.name, row.project_id, row.started_at, row.status)
    missing = [given for given in ids if given not in found]
    if missing:
        raise _unknown_run(conn, missing)
    return [found[given] for given in ids]


def _unknown_run(conn: Connection, missing: list[str]) -> UnknownRunError:
    first = missing[0]
    r = t.runs
    stmt = select(r.c.ref, r.c.run_key).order_by(r.c.started_at.desc()).limit(5000)
    if first.startswith("run:"):
        stmt = stmt.where(r.c.ref.like(f"run:{first[4:].split('.', 1)[0]}.%"))
    rows = conn.execute(stmt).all()
    pool = [row.ref for row in rows] if first.startswith("run:") else [row.run_key for row in rows]
    tail, suggestions = did_you_mean(first, pool, what="run")
    more = f" ({len(missing)} unknown run ids in all)" if len(missing) > 1 else ""
    return UnknownRunError(f"no run `{first}`{tail}{more}", suggestions=suggestions, details={"missing": missing[:20]})
