"""records and metric_summaries lose their foreign keys; the record store keeps their owners

Per record the keys cost four checks (records → runs, stages; metric_summaries → runs, projects):
on PostgreSQL each a query and a row lock on the owner, two thirds of the server's ingest time; on
SQLite a third of the insert. The record store already finds every owner of a batch in its
transaction and refuses the batch when one is missing; on PostgreSQL its lookup now locks each
owner ``FOR KEY SHARE`` as the keys' checks did, once per batch instead of once per record (SQLite's
writers are one at a time). Triggers on projects, runs and stages delete, or truncate, what the
keys cascaded to. SQLite changes a key by copying the table: a one-time copy of the two tables.

Revision ID: 0012
Revises: 0009
"""

from alembic import op

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
    """Statement triggers, the deleted rows read from the transition table. Tables are named by the
    trigger's own schema (``TG_TABLE_SCHEMA``), so a workspace acts on its own whatever the session's
    search path, and still after its schema is renamed."""
    for owner, children in CASCADES.items():
        deletes = " ".join(
            f"EXECUTE format('DELETE FROM %I.{child} WHERE {column} IN (SELECT id FROM gone)', TG_TABLE_SCHEMA);"
            for child, column in children
        )
        # a REPEATABLE READ delete would not see records committed while it waited for their run:
        # the foreign keys' cascade checked a newer snapshot for those; a trigger cannot, so it refuses
        op.execute(
            f"""CREATE FUNCTION contexta_{owner}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' AND EXISTS (SELECT FROM gone) THEN
                    RAISE EXCEPTION 'delete from % at READ COMMITTED: its records and summaries are deleted with it only there', TG_TABLE_NAME
                        USING ERRCODE = 'object_not_in_prerequisite_state';
                END IF;
                {deletes}
                RETURN NULL;
            END $$"""
        )
        op.execute(
            f"CREATE TRIGGER tr_{owner}_deleted AFTER DELETE ON {owner} REFERENCING OLD TABLE AS gone "
            f"FOR EACH STATEMENT EXECUTE FUNCTION contexta_{owner}_deleted()"
        )
        truncate = (
            "EXECUTE format('DELETE FROM %I.records WHERE stage_id IS NOT NULL', TG_TABLE_SCHEMA);"
            if owner == "stages"
            else "EXECUTE format('TRUNCATE %I.records, %I.metric_summaries', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA);"
        )
        op.execute(
            f"""CREATE FUNCTION contexta_{owner}_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {truncate} RETURN NULL; END $$"""
        )
        op.execute(
            f"CREATE TRIGGER tr_{owner}_truncated BEFORE TRUNCATE ON {owner} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION contexta_{owner}_truncated()"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for owner in CASCADES:
        if postgresql:
            for event in ("deleted", "truncated"):
                op.execute(f"DROP TRIGGER tr_{owner}_{event} ON {owner}")
                op.execute(f"DROP FUNCTION contexta_{owner}_{event}()")
        else:
            op.execute(f"DROP TRIGGER tr_{owner}_deleted")
    for table, keys in KEYS.items():
        for _, column, owner in keys:  # rows whose owner went while no key was checked
            op.execute(
                f"DELETE FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {owner})"
            )
        with op.batch_alter_table(table) as batch:
            for name, column, owner in keys:
                batch.create_foreign_key(name, owner, [column], ["id"], ondelete="CASCADE")
