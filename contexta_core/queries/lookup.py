"""Turning what a person typed (project names, run ids) into stored rows, or a helpful error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from ..errors import QueryError, UnknownProjectError, UnknownRunError, hint_tail, name_hints
from ..store import schema
from ..store.sql import fetch_in, raw_rows

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
        raise QueryError("no project given; name one, e.g. `churn-prediction`", code="project_missing")
    p = schema.projects
    row = conn.execute(
        select(p.c.id, p.c.ref, p.c.name).where(
            (p.c.name == text) | (p.c.ref == text) | (p.c.ref == f"project:{text}")
        )
    ).first()
    if row is None:  # be forgiving about case
        lowered = text.lower()
        for candidate in conn.execute(select(p.c.id, p.c.ref, p.c.name)).all():
            if lowered in (candidate.name.lower(), candidate.ref.partition(":")[2]):
                row = candidate
                break
    if row is None:
        raise unknown_project(text, conn.execute(select(p.c.name).order_by(p.c.name)).scalars().all())
    return ProjectRow(row.id, row.ref, row.name)


def unknown_project(typed: str, names: Sequence[str]) -> UnknownProjectError:
    """The error for a project nobody has, offering ``names`` instead: the one wording whether the
    name exists nowhere or only out of the asker's sight (``contexta_core.access``)."""
    hints = name_hints(typed, names, kind="project")
    return UnknownProjectError(f"no project `{typed}`{hint_tail(hints)}", details={"project": typed, **hints})


def resolve_run_ids(
    conn: Connection, run_ids: Sequence[str], *, hidden: Collection[str] = ()
) -> list[tuple[int, int]]:
    """(row id, project id) for ``run_ids`` in the given order; full ``run:`` refs or unique bare ids.

    Runs of the ``hidden`` projects (names) are treated as if they did not exist: not found, not
    making a bare id ambiguous, not offered as suggestions.

    Reads only integer columns so a 100,000-id selection stays cheap; many ids of one project are
    matched against one scan of that project instead of thousands of IN lookups.
    """
    if isinstance(run_ids, str):
        raise QueryError("run_ids must be a list of run ids, not a single string", code="run_ids_not_a_list")
    ids = list(run_ids)
    if not ids:
        raise QueryError(
            "no run ids given; pass at least one, e.g. ['run:churn-prediction.churn-v1-jan']",
            code="run_ids_empty",
        )
    hidden_ids = _project_ids(conn, hidden)
    r = schema.runs
    columns = select(r.c.ref, r.c.id, r.c.project_id)
    by_project: dict[str, list[str]] = defaultdict(list)
    bare: list[str] = []
    for given in ids:
        if not isinstance(given, str):
            raise QueryError(
                f"run id {given!r} is not text", code="run_id_not_text", details={"value": repr(given)[:80]}
            )
        if given.startswith("run:"):
            by_project[given[4:].split(".", 1)[0]].append(given)
        else:
            bare.append(given)
    found: dict[str, tuple[int, int]] = {}
    for project_value, refs in by_project.items():
        project_id = conn.execute(
            select(schema.projects.c.id).where(schema.projects.c.ref == f"project:{project_value}")
        ).scalar()
        if project_id in hidden_ids:
            continue
        if project_id is not None and len(refs) > LARGE_SELECTION:
            prefix = f"run:{project_value}."
            keys = raw_rows(conn, select(r.c.run_key, r.c.id).where(r.c.project_id == project_id))
            found.update({prefix + key: (run_id, project_id) for key, run_id in keys})
        elif project_id is not None:
            rows = fetch_in(conn, columns, r.c.ref, sorted(set(refs)))
            found.update({ref: (run_id, project_id) for ref, run_id, project_id in rows})
    if bare:
        matches: dict[str, list] = defaultdict(list)
        for row in fetch_in(conn, columns, r.c.run_key, sorted(set(bare))):
            if row.project_id in hidden_ids:
                continue
            matches[row.ref.rsplit(".", 1)[1]].append(row)
        for given in bare:
            hits = matches.get(given, [])
            if len(hits) > 1:
                raise UnknownRunError(
                    f"run id `{given}` is ambiguous: it names {', '.join(f'`{h.ref}`' for h in hits)}; "
                    "pass the full ref",
                    code="ambiguous_run_id",
                    details={"run": given, "refs": [h.ref for h in hits]},
                    suggestions=[h.ref for h in hits],
                )
            if hits:
                found[given] = (hits[0].id, hits[0].project_id)
    try:
        return [found[given] for given in ids]
    except KeyError:
        raise _unknown_run(conn, [given for given in ids if given not in found], hidden_ids) from None


def _project_ids(conn: Connection, names: Collection[str]) -> frozenset[int]:
    if not names:
        return frozenset()
    p = schema.projects
    return frozenset(conn.execute(select(p.c.id).where(p.c.name.in_(sorted(names)))).scalars())


def resolve_runs(conn: Connection, run_ids: Sequence[str], *, hidden: Collection[str] = ()) -> list[RunRow]:
    """Like ``resolve_run_ids`` but with each run's name, start time and status."""
    keys = resolve_run_ids(conn, run_ids, hidden=hidden)
    r = schema.runs
    stmt = select(r.c.id, r.c.ref, r.c.name, r.c.project_id, r.c.started_at, r.c.status)
    details = {row.id: RunRow(*row) for row in fetch_in(conn, stmt, r.c.id, sorted({k[0] for k in keys}))}
    return [details[run_id] for run_id, _ in keys]


def _unknown_run(
    conn: Connection, missing: list[str], hidden_ids: frozenset[int] = frozenset()
) -> UnknownRunError:
    first = missing[0]
    r = schema.runs
    stmt = select(r.c.ref, r.c.run_key).order_by(r.c.started_at.desc()).limit(5000)
    if hidden_ids:
        stmt = stmt.where(r.c.project_id.not_in(sorted(hidden_ids)))
    if first.startswith("run:"):
        stmt = stmt.where(r.c.ref.like(f"run:{first[4:].split('.', 1)[0]}.%"))
    rows = conn.execute(stmt).all()
    pool = [row.ref for row in rows] if first.startswith("run:") else [row.run_key for row in rows]
    hints = name_hints(first, pool, kind="run")
    tail = hint_tail(hints)
    more = f" ({len(missing)} unknown run ids in all)" if len(missing) > 1 else ""
    return UnknownRunError(
        f"no run `{first}`{tail}{more}",
        details={"run": first, "missing": missing[:20], "missing_count": len(missing), **hints},
    )
