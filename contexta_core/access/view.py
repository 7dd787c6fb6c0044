"""``VisibleContexta``: the workspace as one viewer may see it, for every answer built for them.

It stands in for ``Contexta`` wherever a question is answered (the asking code takes it as it is):
the projects the viewer may not see are left out of every listing and of the vocabulary questions
are understood against, and naming one, or one of its runs, raises exactly the error a name that
exists nowhere raises, with suggestions drawn only from what the viewer may see. Nothing about a
hidden project (not its name, not a run's, not whether it exists) can reach the viewer's answer.
Digest subscriptions are filtered the same way, except that a channel still sees its own
subscriptions paused because it lost access (so its ``digest list`` can say why).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import UnknownProjectError
from ..queries.lookup import unknown_project
from .rules import ACCESS_PAUSE_CODE, OWNER_PAUSE_CODE, Viewer

if TYPE_CHECKING:
    from ..client import Contexta
    from ..digests import Subscription


class VisibleContexta:
    """A ``Contexta`` minus the projects ``hidden()`` names (computed once, on first use)."""

    def __init__(self, ctx: Contexta, hidden: Callable[[], frozenset[str]], viewer: Viewer):
        self._ctx = ctx
        self._hidden = hidden
        self.viewer = viewer

    def __getattr__(self, name: str) -> Any:  # everything not about projects is the workspace's own
        return getattr(self._ctx, name)

    @cached_property
    def hidden(self) -> frozenset[str]:
        return self._hidden()

    @cached_property
    def digests(self) -> VisibleDigests:
        return VisibleDigests(self._ctx.digests, self)

    @cached_property
    def alerts(self) -> VisibleAlerts:
        return VisibleAlerts(self._ctx.alerts, self)

    @cached_property
    def news(self):
        """What's new, told from this view: it lists, names and reads only visible projects."""
        from ..news import News

        return News(self)

    # -- names --------------------------------------------------------------------------------

    def list_projects(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.list_project_records())

    def list_project_records(self):
        return tuple(p for p in self._ctx.list_project_records() if p.name not in self.hidden)

    def vocabulary(self):
        return self._ctx.vocabulary(hidden=self.hidden)

    def resolve_project_name(self, text: str) -> str:
        """The stored name of a project the viewer may see; else the error a missing name gets."""
        try:
            name = self._ctx.resolve_project_name(text)
        except UnknownProjectError:
            name = None
        if name is None or name in self.hidden:
            raise unknown_project((text or "").strip(), self.list_projects())
        return name

    def may_see(self, project: str) -> bool:
        return project not in self.hidden

    # -- answers about one project ------------------------------------------------------------

    def _seen(self, project: str | None) -> None:
        if project is not None:
            self.resolve_project_name(project)

    def list_runs(self, project_name: str | None = None, **kwargs: Any):
        self._seen(project_name)
        return tuple(
            r for r in self._ctx.list_runs(project_name, **kwargs) if r.project_name not in self.hidden
        )

    def count_runs(self, project_name: str, **kwargs: Any) -> int:
        self._seen(project_name)
        return self._ctx.count_runs(project_name, **kwargs)

    def list_deployments(self, project_name: str | None = None, run_id: str | None = None):
        self._seen(project_name)
        if run_id is not None:
            run_id = self._refs([run_id])[0]
        found = self._ctx.list_deployments(project_name, run_id)
        return tuple(d for d in found if d.project_name not in self.hidden)

    def best_run(self, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.best_run(project_name, *args, **kwargs)

    def project_report(self, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.project_report(project_name, *args, **kwargs)

    def get_metric_trend(self, metric_key: str, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.get_metric_trend(metric_key, project_name, *args, **kwargs)

    def onboarding_summary(self, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.onboarding_summary(project_name, *args, **kwargs)

    def get_project_defaults(self, project_name: str):
        self._seen(project_name)
        return self._ctx.get_project_defaults(project_name)

    def resolve_defaults(self, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.resolve_defaults(project_name, *args, **kwargs)

    def resolve_scope(self, project_name: str, *args: Any, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.resolve_scope(project_name, *args, **kwargs)

    def set_project_defaults(self, project_name: str, **kwargs: Any):
        self._seen(project_name)
        return self._ctx.set_project_defaults(project_name, **kwargs)

    # -- answers about runs -------------------------------------------------------------------

    def _refs(self, run_ids: Sequence[str]) -> list[str]:
        """Full refs, resolved as if the hidden projects' runs did not exist."""
        return self._ctx.visible_run_refs(run_ids, hidden=self.hidden)

    def get_run_snapshot(self, run_id: str):
        return self._ctx.get_run_snapshot(self._refs([run_id])[0])

    def compare_runs(self, left: str, right: str):
        left_ref, right_ref = self._refs([left, right])
        compared = self._ctx.compare_runs(left_ref, right_ref)
        return replace(compared, left_run_id=left, right_run_id=right)  # as given, like the core says it

    def build_multi_run_report(self, run_ids: Sequence[str], **kwargs: Any):
        refs = self._refs(run_ids) if not isinstance(run_ids, str) else run_ids  # a str: the core's error
        return self._ctx.build_multi_run_report(refs, **kwargs)

    def select_best_run(self, run_ids: Sequence[str], *args: Any, **kwargs: Any) -> str | None:
        given = list(run_ids)
        refs = self._refs(given)
        best = self._ctx.select_best_run(refs, *args, **kwargs)
        return None if best is None else given[refs.index(best)]


def _shown_to(
    view: VisibleContexta,
    project: str,
    target: str,
    active: bool,
    reason: str | None,
    created_by: str | None = None,
) -> bool:
    """A subscription or watch of a visible project; or the viewer's own channel's, paused because
    it lost access (so it can say why); or, asked in private (their DM), one the viewer made
    there themselves, paused because they no longer may see the project (``created_by`` given)."""
    if project not in view.hidden:
        return True
    if active:
        return False
    viewer = view.viewer
    if viewer.channel is None:
        mine = created_by is not None and viewer.user is not None and created_by == viewer.user
        return mine and OWNER_PAUSE_CODE in (reason or "")
    return target == viewer.channel and ACCESS_PAUSE_CODE in (reason or "")


class VisibleAlerts:
    """``ctx.alerts`` as the viewer may see it: watches of hidden projects are left out (but for the
    viewer's own channel's, paused because it lost access, and in their DM their own, paused
    because they lost access)."""

    def __init__(self, alerts: Any, view: VisibleContexta):
        self._alerts = alerts
        self._view = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._alerts, name)

    def watches(self, **kwargs: Any):
        found = self._alerts.watches(**kwargs)
        return tuple(
            w
            for w in found
            if _shown_to(
                self._view, w.project_name, w.channel, w.status == "active", w.paused_reason, w.created_by
            )
        )


class VisibleDigests:
    """``ctx.digests`` as the viewer may see it: subscriptions of hidden projects are left out
    (but for the viewer's own channel's, paused because it lost access, and in their DM their own,
    paused because they lost access), and a hidden project cannot be subscribed to or previewed."""

    def __init__(self, digests: Any, view: VisibleContexta):
        self._digests = digests
        self._view = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._digests, name)

    def _shown(self, sub: Subscription) -> bool:
        return _shown_to(
            self._view, sub.project_name, sub.target, sub.is_active, sub.paused_reason, sub.created_by
        )

    def subscriptions(self, *, project: str | None = None, **kwargs: Any):
        if project is not None:
            self._view.resolve_project_name(project)
        found = self._digests.subscriptions(project=project, **kwargs)
        return tuple(sub for sub in found if self._shown(sub))

    def statuses(self, **kwargs: Any):
        return tuple(s for s in self._digests.statuses(**kwargs) if self._shown(s.subscription))

    def subscribe(self, *, project: str, **kwargs: Any):
        return self._digests.subscribe(project=self._view.resolve_project_name(project), **kwargs)

    def summary(self, project: str, *args: Any, **kwargs: Any):
        return self._digests.summary(self._view.resolve_project_name(project), *args, **kwargs)
