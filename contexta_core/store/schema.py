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

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),  # append sequence
    Column("ref", String(255), nullable=False, unique=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("stage_id", Integer, ForeignKey("stages.id", ondelete="CASCADE")),
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
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("stage_name", String(63), primary_key=True),  # RUN_LEVEL for run-level metrics
    Column("metric_key", String(128), primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
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
