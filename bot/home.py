"""What the App Home tab shows, read from the core: Slack-free, like `bot.answers`.

Only the most recently active projects are looked at in detail (live deployment, best run), so
opening the tab costs a few queries per shown project however many projects exist. A project
whose best run cannot be ranked (its default metric is not recorded yet) is still listed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.models.views import View

from bot.rendering.home import HOME_PROJECTS, HomeNews, HomeProject, render_home
from bot.rendering.trend import metric_label
from contexta_core import Contexta
from contexta_core.errors import ContextaError
from contexta_core.importers.detect import pending_import
from contexta_core.news import Viewer, WhatsNew
from contexta_core.queries.onboarding import answer_deployments
from contexta_core.results import ProjectRecord

HOME_NEWS_PROJECTS = 5  # a first visit: what the most recently active projects did this week
logger = logging.getLogger(__name__)


def home_view(ctx: Contexta, viewer: Viewer | None = None, zone: str = "UTC") -> View:
    """The Home tab: the workspace's projects (the same for everyone) and, for ``viewer``, what is
    new since their last answer about each project they asked about ("Since your last visit")."""
    records = ctx.list_project_records()
    recent = sorted(records, key=_last_activity, reverse=True)[:HOME_PROJECTS]
    pending = None if records else pending_import(ctx)
    news = _news(ctx, viewer, [r.name for r in recent]) if viewer is not None and records else None
    return render_home(
        [_home_project(ctx, record) for record in recent],
        total=len(records),
        pending_import=pending.command if pending else None,
        news=HomeNews(news, zone) if news is not None else None,
    )


def _news(ctx: Contexta, viewer: Viewer, recent: list[str]) -> WhatsNew | None:
    """Opening the tab is no answer: it shows what is new without marking it seen. A failure here
    leaves the section out rather than the tab."""
    try:
        if ctx.news.last_seen(viewer):
            return ctx.news.whats_new(viewer)
        return ctx.news.whats_new(viewer, among=recent[:HOME_NEWS_PROJECTS])
    except Exception:
        logger.exception("Could not read what is new for the Home tab")
        return None


def _last_activity(record: ProjectRecord) -> datetime:
    return record.last_run_at or record.created_at


def _home_project(ctx: Contexta, record: ProjectRecord) -> HomeProject:
    deployments = ctx.list_deployments(record.name)
    live = next((a.deployment for a in answer_deployments(deployments, None) if a.is_live), None)
    defaults = ctx.get_project_defaults(record.name)
    best = None
    if record.run_count:
        try:
            best = ctx.best_run(
                record.name,
                defaults.metric_key,
                stage_name=defaults.stage_name,
                higher_is_better=defaults.higher_is_better,
            )
        except ContextaError:  # the default metric is not recorded (yet)
            best = None
    updated = max([_last_activity(record), *(d.started_at for d in deployments)])
    return HomeProject(record, live, best, metric_label(defaults.metric_key, defaults.stage_name), updated)
