"""PostgreSQL: the append-heavy tables' owner keys are kept by the record store, not checked per row

Per record PostgreSQL ran four foreign-key checks (records → runs, stages; metric_summaries → runs,
projects), each a query and a row lock on the owner: two thirds of the server's ingest time. The
record store already finds every owner of a batch in its transaction; it now does so holding the
shared ``OWNERS_LOCK``, which deleting projects, runs or stages first takes exclusively, and the
triggers below delete what the keys cascaded to. SQLite keeps its keys (cheap there).

Revision ID: 0012
Revises: 0009
"""

from alembic import op

from contexta_core.store.schema import OWNERS_LOCK

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None

KEYS = (
    ("records", "fk_records_run_id_runs", "run_id", "runs"),
    ("records", "fk_records_stage_id_stages", "stage_id", "stages"),
    ("metric_summaries", "fk_metric_summaries_run_id_runs", "run_id", "runs"),
    ("metric_summaries", "fk_metric_summaries_project_id_projects", "project_id", "projects"),
)
# what deleting an owner removes, per owner table: (child table, its key column)
CASCADES = {
    "projects": (("metric_summaries", "project_id"),),
    "runs": (("records", "run_id"), ("metric_summaries", "run_id")),
    "stages": (("records", "stage_id"),),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name, _, _ in KEYS:
        op.drop_constraint(name, table, type_="foreignkey")
    # SET search_path FROM CURRENT: the functions act on this workspace's tables, whatever the
    # search path of the session that deletes
    op.execute(
        f"""CREATE FUNCTION contexta_lock_owners() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
        BEGIN PERFORM pg_advisory_xact_lock({OWNERS_LOCK}); RETURN NULL; END $$"""
    )
    for owner, children in CASCADES.items():
        deletes = " ".join(
            f"DELETE FROM {child} WHERE {column} IN (SELECT id FROM gone);" for child, column in children
        )
        op.execute(
            f"""CREATE FUNCTION contexta_{owner}_deleted() RETURNS trigger LANGUAGE plpgsql
            SET search_path FROM CURRENT AS $$ BEGIN {deletes} RETURN NULL; END $$"""
        )
        op.execute(
            f"CREATE TRIGGER tr_{owner}_lock_owners BEFORE DELETE ON {owner} "
            "FOR EACH STATEMENT EXECUTE FUNCTION contexta_lock_owners()"
        )
        op.execute(
            f"CREATE TRIGGER tr_{owner}_deleted AFTER DELETE ON {owner} REFERENCING OLD TABLE AS gone "
            f"FOR EACH STATEMENT EXECUTE FUNCTION contexta_{owner}_deleted()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for owner in CASCADES:
        op.execute(f"DROP TRIGGER tr_{owner}_deleted ON {owner}")
        op.execute(f"DROP TRIGGER tr_{owner}_lock_owners ON {owner}")
        op.execute(f"DROP FUNCTION contexta_{owner}_deleted()")
    op.execute("DROP FUNCTION contexta_lock_owners()")
    for table, name, column, owner in KEYS:
        op.execute(
            f"DELETE FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {owner})"
        )
        op.create_foreign_key(name, table, owner, [column], ["id"], ondelete="CASCADE")
