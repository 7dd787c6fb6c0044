"""The alerts' outbox: a row per change worth telling, written in the transaction of the change.

The repositories call ``note_run_endings`` and ``note_deployment`` inside the same ``writing()``
transaction that stores the run or deployment, so an event exists exactly when its change
committed (a rolled-back write leaves no event; a committed one cannot lose its event). Only
transitions count: a run stored again as ``completed`` tells nothing new, nor does a deployment
recorded again. Writes made under ``Database.bulk_import()`` (the importers, backfills) note
nothing: history brought in wholesale is not news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from . import schema
from .sql import fetch_in

RUN_COMPLETED, RUN_FAILED, DEPLOYMENT = "run_completed", "run_failed", "deployment"
RUN_EVENTS = {"completed": RUN_COMPLETED, "failed": RUN_FAILED}
LIVE = "completed"  # the deployment status that makes it live (as the digests and answers read it)


def previous_statuses(conn: Connection, table, refs: Sequence[str]) -> dict[str, str]:
    """ref → stored status, for the refs that exist (read before an upsert overwrites them)."""
    if not refs:
        return {}
    return dict(fetch_in(conn, select(table.c.ref, table.c.status), table.c.ref, list(refs)))


def note_run_endings(
    conn: Connection, ended: Sequence[tuple[str, str, datetime | None]], before: dict[str, str]
) -> int:
    """Events for runs (ref, new status, ended_at) that reached ``completed``/``failed`` just now."""
    fresh = [(ref, status, at) for ref, status, at in ended if before.get(ref) != status]
    if not fresh:
        return 0
    r = schema.runs
    ids = {
        row.ref: (row.id, row.project_id)
        for row in fetch_in(
            conn, select(r.c.ref, r.c.id, r.c.project_id), r.c.ref, [ref for ref, _, _ in fresh]
        )
    }
    now = datetime.now(UTC)
    rows = [
        {
            "kind": RUN_EVENTS[status],
            "project_id": ids[ref][1],
            "run_id": ids[ref][0],
            "deployment_id": None,
            "occurred_at": at or now,
            "created_at": now,
        }
        for ref, status, at in fresh
        if ref in ids
    ]
    if rows:
        conn.execute(insert(schema.alert_events), rows)
    return len(rows)


def note_deployment(conn: Connection, ref: str, started_at: datetime, before: str | None) -> bool:
    """An event for a deployment that became live just now (new, or moved to ``completed``)."""
    if before == LIVE:
        return False
    d = schema.deployments
    row = conn.execute(select(d.c.id, d.c.project_id).where(d.c.ref == ref)).one()
    now = datetime.now(UTC)
    conn.execute(
        insert(schema.alert_events).values(
            kind=DEPLOYMENT,
            project_id=row.project_id,
            run_id=None,
            deployment_id=row.id,
            occurred_at=started_at,
            created_at=now,
        )
    )
    return True
