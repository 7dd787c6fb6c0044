"""SQLAlchemy schema of a workspace, with indexes shaped by the queries that read it.

``metric_summaries`` keeps one row per (run, stage, metric) with the latest/min/max/sum/count of
its values, maintained by the record store on every append. Best-run and trend queries read it
instead of re-reading every record (the original library's quadratic cost).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

RUN_LEVEL = ""  # stage_name used in metric_summaries for metrics recorded outside any stage
TENANT_COLUMNS = ("team_id", "enterprise_id")  # see contexta_core.tenancy


def tenant_columns() -> list[Column]:
    """The chat team and Enterprise Grid organisation owning a row of chat-side state ('' when
    absent: ``Tenant.LEGACY`` owns the rows written before teams existed)."""
    return [Column(name, String(32), nullable=False, server_default="") for name in TENANT_COLUMNS]


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out; stored naive so both databases sort alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime reached the store; times must be UTC-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text from textual SQL
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(255), nullable=False, unique=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("tags", JSON, nullable=False, default=dict),
    Column("settings", JSON, nullable=False, default=dict),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(255), nullable=False, unique=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("run_key", String(63), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("description", Text),
    Index("ix_runs_project_started", "project_id", "started_at", "id"),
    Index("ix_runs_project_status", "project_id", "status"),  # status counts and filters without a scan
    Index("ix_runs_run_key", "run_key"),
    Index("ix_runs_project_ended", "project_id", "ended_at"),  # what finished since a moment ("what's new")
)

stages = Table(
    "stages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(255), nullable=False, unique=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("stage_name", String(63), nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("order_index", Integer),
    Index("ix_stages_run", "run_id", "order_index", "started_at"),
)

deployments = Table(
    "deployments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(255), nullable=False, unique=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
    Column("name", String(63), nullable=False),
    Column("environment", String(63), nullable=False, default="production"),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("order_index", Integer),
    Column("artifact_ref", String(255)),
    Column("environment_snapshot_ref", String(255)),
    Index("ix_deployments_project_started", "project_id", "started_at"),
    Index("ix_deployments_run", "run_id"),
)

# The two append-heavy tables, records and metric_summaries, name their owners (run, stage,
# project) without a foreign key (migration 0012). A key is checked per row, and on PostgreSQL that
# check was a query and a row lock on the owner for every record: two thirds of the server's ingest
# time (a third of SQLite's insert). The record store finds a batch's owners in its own transaction
# instead, and refuses the batch if one is missing: on SQLite under the write lock it takes first,
# on PostgreSQL locking each owner FOR KEY SHARE once per batch (``pg_bulk.lock_owners``). Triggers on
# projects, runs and stages delete (or truncate) what the keys cascaded to.

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),  # append sequence
    Column("ref", String(255), nullable=False, unique=True),
    Column("run_id", Integer, nullable=False),  # runs.id, kept by the record store (see above)
    Column("stage_id", Integer),  # stages.id, likewise
    Column("record_type", String(8), nullable=False),
    Column("key", String(128), nullable=False),
    Column("value", Float),
    Column("message", Text),
    Column("level", String(16)),
    Column("observed_at", UTCDateTime, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("step", Integer),
    Column("producer_ref", String(128), nullable=False),
    Column("value_type", String(16)),
    Column("unit", String(32)),
    Column("aggregation_scope", String(16)),
    Column("origin_marker", String(32)),
    Column("completeness_marker", String(16), nullable=False),
    Column("degradation_marker", String(32), nullable=False),
    Column("extra", JSON),  # rarely used fields (tags, attributes, correlation refs, batch/sample refs)
    Index("ix_records_run_type", "run_id", "record_type", "id"),
    Index("ix_records_stage", "stage_id", "id"),
)

metric_summaries = Table(
    "metric_summaries",
    metadata,
    Column("run_id", Integer, primary_key=True),  # runs.id, kept by the record store (see above)
    Column("stage_name", String(63), primary_key=True),  # RUN_LEVEL for run-level metrics
    Column("metric_key", String(128), primary_key=True),
    Column("project_id", Integer, nullable=False),  # projects.id, likewise
    Column("run_started_at", UTCDateTime, nullable=False),
    Column("latest_value", Float, nullable=False),
    Column("latest_observed_at", UTCDateTime, nullable=False),
    Column("max_value", Float, nullable=False),
    Column("min_value", Float, nullable=False),
    Column("value_sum", Float, nullable=False),
    Column("value_count", Integer, nullable=False),
    # (project, metric, stage, value, run): best-run seeks read only the index. The max/min/mean
    # aggregations scan the (project, metric, stage) range instead: indexing them too cost 17% of
    # ingest speed for a rarely asked question.
    Index(
        "ix_summaries_latest",
        "project_id",
        "metric_key",
        "stage_name",
        "latest_value",
        "run_id",
    ),
    # The trend: the runs that have a metric, already in start order with their latest value, so a
    # 100,000-run trend is one ordered index scan instead of a sort.
    Index(
        "ix_summaries_trend",
        "project_id",
        "metric_key",
        "stage_name",
        "run_started_at",
        "run_id",
        "latest_value",
    ),
)

# -- chat-side state: every table below carries the tenant columns and is read per tenant -------------
claims = Table(
    "claims",
    metadata,
    *tenant_columns(),
    Column("key", String(255), nullable=False),  # e.g. "slack-event:Ev123"
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("holder", String(128)),
    Column("done", Boolean, nullable=False, default=False),
    PrimaryKeyConstraint("team_id", "enterprise_id", "key", name="pk_claims"),
    Index("ix_claims_claimed_at", "claimed_at"),
)

preferences = Table(
    "preferences",
    metadata,
    *tenant_columns(),
    Column("scope", String(255), nullable=False),  # e.g. "workspace", a chat channel
    Column("key", String(128), nullable=False),
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("team_id", "enterprise_id", "scope", "key", name="pk_preferences"),
)

# The previous question of each conversation (a DM, a mention thread), so a follow-up ("and on f1?")
# can take what it leaves out; shared by every bot process, read only while fresh.
conversation_context = Table(
    "conversation_context",
    metadata,
    *tenant_columns(),
    Column("conversation", String(255), nullable=False),  # e.g. "slack:C1:1700000000.0001"
    Column("question", JSON, nullable=False),  # intent, project, metric, stage, direction, language
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("team_id", "enterprise_id", "conversation", name="pk_conversation_context"),
    Index("ix_conversation_context_updated_at", "updated_at"),
)

# -- weekly digests ---------------------------------------------------------------------------------
# A subscription posts one project's digest to one chat target (a Slack channel id of its team) on a
# weekly schedule kept in local wall-clock terms (weekday, HH:MM, IANA zone) so DST never shifts it.
digest_subscriptions = Table(
    "digest_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    *tenant_columns(),
    Column("target", String(64), nullable=False),  # e.g. a Slack channel id
    Column("project_ref", String(255), nullable=False),
    Column("weekday", String(3), nullable=False),  # mon … sun
    Column("time_of_day", String(5), nullable=False),  # HH:MM, 24-hour, local to `timezone`
    Column("timezone", String(64), nullable=False),  # IANA zone name
    Column("language", String(8), nullable=False),  # en | ko
    Column("status", String(16), nullable=False),  # active | paused
    Column("paused_reason", Text),
    Column("paused_at", UTCDateTime),
    Column("created_by", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("schedule_from", UTCDateTime, nullable=False),  # fire times before this are never due
    UniqueConstraint(
        "team_id",
        "enterprise_id",
        "target",
        "project_ref",
        name="uq_digest_subscriptions_tenant_target_project",
    ),
)

# One row per (subscription, period): inserting it is the claim that makes a post happen once. It
# belongs to its subscription's tenant (the foreign key): claim passes reach rows only through a
# join on that tenant, so the tenant is not copied here.
digest_deliveries = Table(
    "digest_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("digest_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("period_key", String(32), nullable=False),  # ISO week of the local fire date, 2026-W13
    Column("scheduled_for", UTCDateTime, nullable=False),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=False),
    # claimed | posting | pending | delivered | failed | uncertain | superseded
    Column("status", String(16), nullable=False),
    Column("holder", String(128)),
    Column("lease_expires_at", UTCDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    Column("last_error", Text),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("message_ts", String(32)),
    UniqueConstraint("subscription_id", "period_key", name="uq_digest_deliveries_subscription_period"),
    Index("ix_digest_deliveries_status", "status", "next_attempt_at"),
)

workspace_state = Table(
    "workspace_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),  # +1 on every write transaction (see Database.writing)
)

# -- imports ----------------------------------------------------------------------------------------
# What an import source (an MLflow tracking store, a Contexta 1.x workspace, a TensorBoard log
# folder) has brought in, one row per source item (an experiment, a run, a model version, a segment
# file): the ref it became, a fingerprint of what it looked like then, and where reading stopped.
import_items = Table(
    "import_items",
    metadata,
    Column("source", String(512), primary_key=True),  # e.g. "mlflow sqlite:////srv/mlflow.db"
    Column("item", String(512), primary_key=True),  # e.g. "run/4f1c…", "experiment/3"
    Column("target_ref", String(255)),  # the ref it became here, e.g. "run:churn.baseline"
    Column("fingerprint", String(64)),  # what it looked like when last imported
    Column("is_open", Boolean, nullable=False, default=False),  # still changing (a running run)
    Column("cursor", JSON),  # where reading stopped (a byte offset, a time)
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_import_items_target", "target_ref"),
)

# -- what's new -------------------------------------------------------------------------------------
# When each person (per chat team) last got an answer about each project: "what's new" shows what
# happened after it. Bookkeeping: writing it never invalidates cached answers.
news_marks = Table(
    "news_marks",
    metadata,
    Column("team_id", String(32), primary_key=True, server_default=""),
    Column("enterprise_id", String(32), primary_key=True, server_default=""),
    Column("user_id", String(64), primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("last_seen_at", UTCDateTime, nullable=False),
)

# -- alerts -----------------------------------------------------------------------------------------
# The outbox: one row per change alerts may tell about (a run that completed or failed, a deployment
# that went live), written in the same transaction as the change itself (store/outbox.py), so an
# event exists exactly when its change committed. ``dispatched_at`` stays NULL until a dispatcher
# has routed it to the watches it concerns; the partial index makes "anything new?" one seek.
alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(24), nullable=False),  # run_completed | run_failed | deployment
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE")),
    Column("deployment_id", Integer, ForeignKey("deployments.id", ondelete="CASCADE")),
    Column("occurred_at", UTCDateTime, nullable=False),  # when the change happened (run end, deploy start)
    Column("created_at", UTCDateTime, nullable=False),
    Column("dispatched_at", UTCDateTime),
    Index(
        "ix_alert_events_pending",
        "id",
        sqlite_where=text("dispatched_at IS NULL"),
        postgresql_where=text("dispatched_at IS NULL"),
    ),
    Index("ix_alert_events_project", "project_id", "id"),
    # SQLite would reuse the highest id once pruned or deleted; a watch's ``from_event_id`` and the
    # routing compare ids, so a reused id would make a watch deaf to the next events.
    sqlite_autoincrement=True,
)

# A watch: one channel of one team told about one project's changes of the kinds it chose.
# ``from_event_id`` is the newest outbox event when it was made: nothing older is ever told.
alert_watches = Table(
    "alert_watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("enterprise_id", String(32), nullable=False, server_default=""),
    Column("channel", String(64), nullable=False),
    Column("project_ref", String(255), nullable=False),
    Column("kinds", JSON, nullable=False),  # e.g. ["new-best", "deployments", "failures"]
    Column("metric_key", String(128)),  # --metric; None: the project's primary metric
    Column("language", String(8), nullable=False),
    Column("status", String(16), nullable=False),  # active | paused (Slack refused the channel)
    Column("paused_reason", Text),
    Column("created_by", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("from_event_id", Integer, nullable=False),
    UniqueConstraint("team_id", "enterprise_id", "channel", "project_ref", name="uq_alert_watches_target"),
    Index("ix_alert_watches_project", "project_ref"),
)

# One alert message of one watch: the events it rolls up are gathered (``gathering``) for a few
# seconds, then it is claimed and posted like a digest (states in store/leases.py, plus ``skipped``
# when nothing in it is worth telling). ``due_at`` is when a pass must look at it next.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", Integer, ForeignKey("alert_watches.id", ondelete="CASCADE"), nullable=False),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("enterprise_id", String(32), nullable=False, server_default=""),
    # gathering | claimed | posting | pending | delivered | failed | uncertain | skipped
    Column("status", String(16), nullable=False),
    Column("first_event_at", UTCDateTime, nullable=False),
    Column("last_event_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime),
    Column("holder", String(128)),
    Column("lease_expires_at", UTCDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    Column("last_error", Text),
    Column("claimed_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("message_ts", String(32)),
    # the idle check's seek; the team columns let it skip other teams' rows without reading them
    Index("ix_alert_deliveries_due", "due_at", "team_id", "enterprise_id"),
    Index("ix_alert_deliveries_watch", "watch_id", "status"),
)

# Which events an alert message tells: the primary key is the promise of one alert per (watch, event).
alert_delivery_events = Table(
    "alert_delivery_events",
    metadata,
    Column("watch_id", Integer, ForeignKey("alert_watches.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", Integer, ForeignKey("alert_events.id", ondelete="CASCADE"), primary_key=True),
    Column("delivery_id", Integer, ForeignKey("alert_deliveries.id", ondelete="CASCADE"), nullable=False),
    Index("ix_alert_delivery_events_delivery", "delivery_id"),
)

# -- chat installations (multi-workspace OAuth) -------------------------------------------------------
# slack-sdk's SQLAlchemy installation and OAuth-state stores read and write these tables with their
# own Table objects; they are declared (column for column, slack-sdk 3.x's layout) and created here so
# the migrations own every table of the workspace database. They hold bot tokens: whoever can read the
# database can act as the bot in every installed team. Their team/enterprise ids are NULL when absent
# (slack-sdk queries ``IS NULL``), unlike the '' of the tenant columns above.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = Table(
    "slack_bots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)

# -- project access ---------------------------------------------------------------------------------
# A project is open to the whole chat workspace unless it has rules here: one row per channel (and
# optionally user group) it is restricted to, per team. ``project_access_changes`` is the audit
# trail: every restrict/open with who did it, when, and the rules before and after.
project_access_rules = Table(
    "project_access_rules",
    metadata,
    Column("team_id", String(32), primary_key=True, server_default=""),
    Column("enterprise_id", String(32), primary_key=True, server_default=""),
    Column("project_ref", String(255), primary_key=True),
    Column("kind", String(16), primary_key=True),  # channel | usergroup
    Column("target_id", String(64), primary_key=True),  # e.g. C0123, S0456 (opaque to the core)
    Column("target_name", String(255)),  # its name when the rule was written, for showing
    Column("created_at", UTCDateTime, nullable=False),
)

project_access_changes = Table(
    "project_access_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32), nullable=False, server_default=""),
    Column("enterprise_id", String(32), nullable=False, server_default=""),
    Column("project_ref", String(255), nullable=False),
    Column("action", String(16), nullable=False),  # restrict | open
    Column("actor", String(255), nullable=False),  # a chat user id, or "cli:<login>" for an operator
    Column("surface", String(16), nullable=False),  # slack | cli
    Column("before", JSON, nullable=False),  # {"channels": [{"id", "name"}], "usergroups": [...]}
    Column("after", JSON, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Index("ix_project_access_changes_project", "team_id", "enterprise_id", "project_ref", "changed_at"),
)
