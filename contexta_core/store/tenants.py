"""Which chat tenants a workspace database knows, and handing the rows written before teams existed
(``Tenant.LEGACY``) to the one team the single-workspace bot turns out to be.

Both work over every table carrying the tenant columns (``schema.TENANT_COLUMNS``), found in the
declared schema rather than listed, so a table added later is covered without touching this module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from sqlalchemy import (
    Connection,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    func,
    select,
    tuple_,
    union,
    update,
)

from ..errors import NotFoundError, QueryError
from ..tenancy import Tenant
from . import schema
from .engine import Database
from .sql import of_tenant

logger = logging.getLogger(__name__)


def tenant_tables() -> Iterator[Table]:
    """Tables of chat-side state, parents before children."""
    for table in schema.metadata.sorted_tables:
        if all(name in table.c for name in schema.TENANT_COLUMNS) and not table.name.startswith("slack_"):
            yield table


def known_tenants(db: Database) -> list[Tenant]:
    """Every tenant with state or an installation here, LEGACY included when it owns rows; sorted."""
    selects = [select(t.c.team_id, t.c.enterprise_id).distinct() for t in tenant_tables()]
    with db.reading() as conn:
        rows = set(conn.execute(union(*selects)).all()) if selects else set()
        for table in (schema.slack_bots, schema.slack_installations):
            rows |= set(conn.execute(select(table.c.team_id, table.c.enterprise_id).distinct()).all())
    return sorted({Tenant.of(team, enterprise) for team, enterprise in rows}, key=lambda t: t.key)


def team_names(db: Database) -> dict[Tenant, str]:
    """The names installations recorded for their teams (the newest wins), for listings."""
    i = schema.slack_installations
    with db.reading() as conn:
        rows = conn.execute(
            select(i.c.team_id, i.c.enterprise_id, i.c.team_name, i.c.enterprise_name).order_by(
                i.c.installed_at
            )
        ).all()
    return {Tenant.of(r.team_id, r.enterprise_id): r.team_name or r.enterprise_name or "" for r in rows}


def adopt_legacy_rows(db: Database, tenant: Tenant) -> dict[str, int]:
    """Give ``tenant`` every LEGACY row, in one transaction; returns the rows adopted per table.

    Idempotent: a second run finds nothing left. A legacy row whose key ``tenant`` already has (the
    team wrote its own since) stays LEGACY, and a child row (one whose foreign key names a tenant
    table's row) moves only with its parent, so nothing is overwritten and nothing is split.
    """
    if tenant == Tenant.LEGACY:
        raise ValueError("LEGACY rows can only be adopted by a real team")
    adopted: dict[str, int] = {}
    with db.writing(bump_version=False) as conn:
        for table in tenant_tables():
            moved = _adopt(conn, table, tenant)
            if moved:
                adopted[table.name] = moved
        kept = {t.name: n for t in tenant_tables() if (n := _count(conn, t, Tenant.LEGACY))}
    if adopted:
        logger.info("adopted the single-workspace rows for team %s: %s", tenant.key, adopted)
    if kept:
        logger.warning("left LEGACY rows whose keys team %s already has: %s", tenant.key, kept)
    return adopted


def _adopt(conn: Connection, table: Table, tenant: Tenant) -> int:
    legacy = [of_tenant(table, Tenant.LEGACY)]
    for key in _natural_keys(table):  # not where the team already has a row with this key
        other = table.alias("other")  # one uncorrelated set, so the database hashes it once
        taken = select(*(other.c[k] for k in key)).where(of_tenant(other, tenant))
        legacy.append(tuple_(*(table.c[k] for k in key)).not_in(taken))
    parents = set(tenant_tables())
    for fk in table.foreign_keys:  # children follow their parent
        parent = fk.column.table
        if parent in parents:
            legacy.append(fk.parent.in_(select(fk.column).where(of_tenant(parent, tenant))))
    return conn.execute(update(table).where(*legacy).values(**tenant.columns())).rowcount


def _natural_keys(table: Table) -> list[list[str]]:
    """The columns besides the tenant ones of each primary key or unique constraint that has them."""
    keys = []
    for constraint in table.constraints:
        if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
            names = [c.name for c in constraint.columns]
            if set(schema.TENANT_COLUMNS) <= set(names):
                keys.append([n for n in names if n not in schema.TENANT_COLUMNS])
    return [key for key in keys if key]


def _count(conn: Connection, table: Table, tenant: Tenant) -> int:
    return conn.execute(select(func.count()).select_from(table).where(of_tenant(table, tenant))).scalar_one()


def resolve_tenant(db: Database, given: str | None) -> Tenant:
    """The tenant an operator means (``--team``): an id (``T1``), a key (``E1:T1``) or an installed
    team's name; none given, the only team there is (LEGACY while there is none). Refuses an
    unknown team, and several teams without a choice, naming the ones there are."""
    known = [t for t in known_tenants(db) if t != Tenant.LEGACY]
    names = team_names(db)
    shown = [f"{t.key} ({names[t]})" if names.get(t) else t.key for t in known]
    if given is None or not given.strip():
        if len(known) > 1:
            raise QueryError(
                f"this database holds {len(known)} teams ({', '.join(shown)}); name one with --team",
                code="team_ambiguous",
                details={"teams": ", ".join(shown), "count": len(known)},
            )
        return known[0] if known else Tenant.LEGACY
    wanted = Tenant.parse(given)
    by_name = [t for t in known if names.get(t, "").casefold() == given.strip().casefold()]
    matches = [t for t in known if t == wanted or (not wanted.enterprise_id and t.team_id == wanted.team_id)]
    found = matches or by_name
    if len(found) == 1:
        return found[0]
    if len(found) > 1:  # one team id under two organisations
        keys = ", ".join(t.key for t in found)
        raise QueryError(
            f"team `{given}` is in several organisations ({keys}); name it as ENTERPRISE:TEAM",
            code="team_ambiguous",
            details={"teams": keys, "count": len(found)},
        )
    raise NotFoundError(
        f"no team `{given}` here; teams: {', '.join(shown) or 'none yet'}",
        code="unknown_team",
        details={"team": given, "teams": ", ".join(shown)},
    )
