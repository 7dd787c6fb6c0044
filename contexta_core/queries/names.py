"""The workspace's own names — projects, metrics by stage, recent runs, deployments — in one read.

This is what questions are understood against (``contexta_core.ask.vocabulary``), so it is read
once per data version and kept small: metric usage is grouped (a covering index scan of the
summaries), and runs are the most recent ``RECENT_RUNS`` (older ones are still found by their
exact name when an answer resolves them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from ..store import schema

RECENT_RUNS = 5000


@dataclass(frozen=True, slots=True)
class MetricUsage:
    """A metric recorded in a stage (``None``: at run level) by ``runs`` runs of a project."""

    key: str
    stage: str | None
    runs: int


@dataclass(frozen=True, slots=True)
class ProjectNames:
    name: str
    metrics: tuple[MetricUsage, ...] = ()
    runs: tuple[str, ...] = ()  # run names (and their ids, when those differ), most recent first
    deployments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkspaceNames:
    projects: tuple[ProjectNames, ...] = ()

    def without(self, hidden: frozenset[str]) -> WorkspaceNames:
        """These names minus the ``hidden`` projects' (and their metrics', runs', deployments')."""
        return WorkspaceNames(tuple(p for p in self.projects if p.name not in hidden)) if hidden else self


def read_workspace_names(conn: Connection) -> WorkspaceNames:
    p, s, d = schema.projects, schema.metric_summaries, schema.deployments
    projects = conn.execute(select(p.c.id, p.c.name).order_by(p.c.name)).all()
    metrics: dict[int, list[MetricUsage]] = defaultdict(list)
    usage = select(s.c.project_id, s.c.metric_key, s.c.stage_name, func.count()).group_by(
        s.c.project_id, s.c.metric_key, s.c.stage_name
    )
    for project_id, key, stage, count in conn.execute(usage):
        metrics[project_id].append(MetricUsage(key, stage or None, count))
    runs: dict[int, list[str]] = defaultdict(list)
    for project_id, name, key in _recent_runs(conn, [pid for pid, _ in projects]):
        runs[project_id].extend((name,) if name == key else (name, key))
    deployments: dict[int, list[str]] = defaultdict(list)
    for project_id, name in conn.execute(select(d.c.project_id, d.c.name).order_by(d.c.started_at)):
        deployments[project_id].append(name)
    return WorkspaceNames(
        tuple(
            ProjectNames(
                name,
                tuple(sorted(metrics[pid], key=lambda m: (-m.runs, m.stage or "", m.key))),
                tuple(dict.fromkeys(runs[pid])),
                tuple(dict.fromkeys(deployments[pid])),
            )
            for pid, name in projects
        )
    )


def _recent_runs(conn: Connection, project_ids: list[int]) -> list[tuple[int, str, str]]:
    """The workspace's ``RECENT_RUNS`` latest runs (project id, name, key), newest first.

    Read per project along ix_runs_project_started (at most ``RECENT_RUNS`` index steps each) and
    merged: ordering the whole runs table by start would read and sort every run (300,000 for three
    100,000-run projects) each time the workspace changes."""
    r = schema.runs
    found = []
    for project_id in project_ids:
        found += conn.execute(
            select(r.c.started_at, r.c.id, r.c.project_id, r.c.name, r.c.run_key)
            .where(r.c.project_id == project_id)
            .order_by(r.c.started_at.desc(), r.c.id.desc())
            .limit(RECENT_RUNS)
        ).all()
    found.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [(project_id, name, key) for _, _, project_id, name, key in found[:RECENT_RUNS]]
