"""records and metric_summaries lose their foreign keys; the record store keeps their owners

Per record the keys cost four checks (records → runs, stages; metric_summaries → runs, projects):
on PostgreSQL each a query and a row lock on the owner, two thirds of the server's ingest time; on
SQLite a third of the insert. The record store already finds every owner of a batch in its
transaction and refuses the batch when one is missing. On PostgreSQL it now does so holding the
shared ``OWNERS_LOCK``, which deleting projects, runs or stages first takes exclusively (SQLite's
writers are one at a time already). Triggers on those tables delete what the keys cascaded to.
SQLite changes a key by copying the table: a one-time copy of records and metric_summaries.

Revision ID: 0012
Revises: 0009
"""

from alembic import op

from contexta_core.store.schema import OWNERS_LOCK

revision = "0012"
down_revision = "0009"
branch_labels = None
depends_on = None

KEYS = {  # table: (constraint, column, owner table)
    "records": (
        ("fk_records_run_id_runs", "run_id", "runs"),
        ("fk_records_stage_id_stages", "stage_id", "stages"),
    ),
    "metric_summaries": (
        ("fk_metric_summaries_run_id_runs", "run_id", "runs"),
        ("fk_metric_summaries_project_id_projects", "project_id", "projects"),
    ),
}
# what deleting an owner removes: owner table → (child table, its key column)
CASCADES = {
    "projects": (("metric_summaries", "project_id"),),
    "runs": (("records", "run_id"), ("metric_summaries", "run_id")),
    "stages": (("records", "stage_id"),),
}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, keys in KEYS.items():
        if postgresql:
            for name, _, _ in keys:
                op.drop_constraint(name, table, type_="foreignkey")
        else:
            with op.batch_alter_table(table, recreate="always") as batch:
                for name, _, _ in keys:
                    batch.drop_constraint(name, type_="foreignkey")
    if postgresql:
        _postgresql_triggers()
    else:
        for owner, children in CASCADES.items():
            deletes = " ".join(f"DELETE FROM {child} WHERE {column} = OLD.id;" for child, column in children)
            op.execute(
                f"CREATE TRIGGER tr_{owner}_deleted AFTER DELETE ON {owner} FOR EACH ROW BEGIN {deletes} END"
            )


def _postgresql_triggers() -> None:
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
    postgresql = op.get_bind().dialect.name == "postgresql"
    for owner in CASCADES:
        op.execute(f"DROP TRIGGER tr_{owner}_deleted" + (f" ON {owner}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP TRIGGER tr_{owner}_lock_owners ON {owner}")
            op.execute(f"DROP FUNCTION contexta_{owner}_deleted()")
    if postgresql:
        op.execute("DROP FUNCTION contexta_lock_owners()")
    for table, keys in KEYS.items():
        for _, column, owner in keys:  # rows whose owner went while no key was checked
            op.execute(
                f"DELETE FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {owner})"
            )
        with op.batch_alter_table(table) as batch:
            for name, column, owner in keys:
                batch.create_foreign_key(name, owner, [column], ["id"], ondelete="CASCADE")
