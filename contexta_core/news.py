"""``Contexta.news``: "what's new since I last asked?" for one person of one chat team.

A person's *mark* on a project is when they last got an answer about it (any answer: surfaces call
``mark_seen`` after rendering one). What's new on a project is what its history holds between that
mark and now (``queries.changes``); without a mark (a first visit) it is the last ``FIRST_VISIT``.
The news answer itself marks its projects only after it has been rendered, at the moment it was
computed, so nothing that lands meanwhile is skipped.

``visible_projects`` is the one place that decides which projects a viewer may be told about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .errors import UnknownMetricError, UnknownProjectError, UnknownStageError
from .queries.changes import ProjectChanges, project_changes
from .store.news_marks import NewsMarkStore
from .tenancy import Tenant

if TYPE_CHECKING:
    from .client import Contexta

FIRST_VISIT = timedelta(days=7)
ITEMS_PER_PAGE = 5  # of each list (runs, failures, deployments) for one project
PROJECT_ITEMS = 3  # of each list per project when several projects are shown
PROJECTS_PER_PAGE = 5  # projects with news shown at once, when no project is named


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: one person of one chat team (the core never learns which chat)."""

    tenant: Tenant
    user_id: str


@dataclass(frozen=True, slots=True)
class ProjectNews:
    changes: ProjectChanges
    first_visit: bool  # no earlier answer about this project: ``since`` is ``FIRST_VISIT`` ago

    @property
    def project(self) -> str:
        return self.changes.project


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """What is new for one viewer, as of ``until``: the projects with news (newest first, one page
    of them), how many more have news, and the projects with nothing new."""

    until: datetime
    projects: tuple[ProjectNews, ...]
    quiet: tuple[ProjectNews, ...]
    more_projects: int = 0
    single: bool = False  # one project was asked about (its lists are paged, not the projects)

    @property
    def shown(self) -> tuple[str, ...]:
        """The projects this answer tells about (what gets marked seen once it is rendered)."""
        return tuple(p.project for p in (*self.projects, *self.quiet))


class News:
    def __init__(self, ctx: Contexta):
        self._ctx = ctx
        self._marks = NewsMarkStore(ctx.database)

    # -- marks -----------------------------------------------------------------------------------

    def mark_seen(self, viewer: Viewer, projects: Iterable[str | None], at: datetime | None = None) -> None:
        """``viewer`` got an answer about ``projects`` (at ``at``, default now); marks only move forward."""
        names = [p for p in projects if p]
        self._marks.mark(viewer.tenant, viewer.user_id, names, at or datetime.now(UTC))

    def last_seen(self, viewer: Viewer) -> dict[str, datetime]:
        """Project → when ``viewer`` last got an answer about it, for the projects they may see."""
        marks = self._marks.seen(viewer.tenant, viewer.user_id)
        return {name: marks[name] for name in self.visible_projects(viewer, marks)}

    def visible_projects(self, viewer: Viewer | None, names: Iterable[str] | None = None) -> tuple[str, ...]:
        """The projects (of ``names``, default all) ``viewer`` may be told about: the one seam for
        per-viewer project access."""
        known = self._ctx.list_projects()
        if names is None:
            return known
        wanted = set(names)
        return tuple(n for n in known if n in wanted)

    # -- changes ---------------------------------------------------------------------------------

    def changes(
        self,
        project: str,
        since: datetime,
        until: datetime | None = None,
        *,
        page: int = 1,
        limit: int = ITEMS_PER_PAGE,
    ) -> ProjectChanges:
        """What changed in ``project`` in [since, until) (until: now), judged by its primary metric."""
        ctx = self._ctx
        name = ctx.resolve_project_name(project)
        until = until or datetime.now(UTC)
        scope = best = None
        try:
            scope, trend = ctx.resolve_scope(name)
        except (UnknownMetricError, UnknownStageError):  # nothing recorded yet: runs and deployments only
            trend = None
        if scope is not None and trend is not None and trend.points:
            best = ctx.best_run(
                name,
                scope.metric_key,
                stage_name=scope.stage_name,
                higher_is_better=scope.higher_is_better,
                aggregation=scope.aggregation,
            )
        with ctx.database.reading() as conn:
            return project_changes(conn, name, since, until, scope=scope, best=best, page=page, limit=limit)

    def whats_new(
        self,
        viewer: Viewer | None,
        project: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page: int = 1,
        among: Iterable[str] | None = None,
    ) -> WhatsNew:
        """News on ``project`` (one page of each list), or, without one, on each project the viewer
        has asked about and not yet seen at ``until`` (a page of projects at a time) — or on the
        projects ``among`` (all the viewer may see when there is no viewer, or the viewer has
        asked about nothing yet: a first visit, the first-visit window).

        ``since`` overrides the viewer's marks (an operator's ``--since``, the next page of an
        answer); a project without a mark gets the first-visit window."""
        until = until or datetime.now(UTC)
        marks = self.last_seen(viewer) if viewer is not None else {}
        if project is not None:
            name = self._ctx.resolve_project_name(project)
            if not self.visible_projects(viewer, [name]):  # told apart from a missing one by nobody
                raise UnknownProjectError(f"no project `{project}`", details={"project": project})
            news = self._project_news(name, since or marks.get(name), until, page, ITEMS_PER_PAGE)
            busy = () if news.changes.nothing_new else (news,)
            return WhatsNew(until, busy, () if busy else (news,), single=True)
        if among is not None:
            names = list(self.visible_projects(viewer, among))
        elif viewer is None or not marks:  # a first visit: every project they may see, last 7 days
            names = list(self.visible_projects(viewer))
        else:
            names = [n for n, seen in marks.items() if since is not None or seen < until]
        found = [self._project_news(n, since or marks.get(n), until, 1, PROJECT_ITEMS) for n in names]
        busy = sorted((n for n in found if not n.changes.nothing_new), key=_latest, reverse=True)
        quiet = tuple(sorted((n for n in found if n.changes.nothing_new), key=lambda n: n.project))
        shown = tuple(busy[:PROJECTS_PER_PAGE])
        return WhatsNew(until, shown, quiet if page == 1 else (), more_projects=len(busy) - len(shown))

    def _project_news(
        self, name: str, since: datetime | None, until: datetime, page: int, limit: int
    ) -> ProjectNews:
        first = since is None
        start = until - FIRST_VISIT if first else min(since, until)
        return ProjectNews(self.changes(name, start, until, page=page, limit=limit), first_visit=first)


def _latest(news: ProjectNews) -> datetime:
    """When the project's newest change happened (projects with the freshest news come first)."""
    changes = news.changes
    moments = [r.changed_at for r in changes.runs] + [d.started_at for d in changes.deployments]
    return max(moments, default=changes.since)
