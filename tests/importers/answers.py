"""The onboarding answers in one comparable shape, from our workspace and from each source's own API.

"The five answers after import equal what the source's own API says" is checked by building this
shape twice, once from ``Contexta`` (list_runs, best_run, list_deployments, get_metric_trend, the
same calls every surface answers with) and once from the source's library, and comparing them.
"""

from __future__ import annotations

from dataclasses import dataclass

from contexta_core import Contexta
from contexta_core.refs import slugify


@dataclass
class Answers:
    runs: list[str]  # run names, oldest first (the count is its length)
    best: str | None  # the best run's name by the metric
    deployments: dict[str, str | None]  # deployment name → deployed run's name
    values: list[tuple[str, float]]  # (run name, the run's value of the metric), oldest first


def ours(
    ctx: Contexta, project: str, metric: str, *, stage: str | None = None, higher: bool = True
) -> Answers:
    runs = ctx.list_runs(project)
    best = ctx.best_run(project, metric, stage_name=stage, higher_is_better=higher)
    trend = ctx.get_metric_trend(metric, project, stage_name=stage)
    names = {r.run_id: r.name for r in runs}
    ctx.onboarding_summary(project)  # the five answers together, as the bot and `onboard` ask them
    return Answers(
        runs=[r.name for r in runs],
        best=best.run_name if best else None,
        deployments={d.name: d.run_name for d in ctx.list_deployments(project)},
        values=[
            (names[run_id], value) for run_id, value in zip(trend.points.run_ids, trend.values, strict=True)
        ],
    )


def from_mlflow(
    client, experiment: str, metric: str, *, higher: bool = True, aliases=("champion",)
) -> Answers:
    """What MLflow's client says: runs by start time, the best by ``order_by``, registry deployments."""
    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
    (best,) = client.search_runs(
        [exp.experiment_id], order_by=[f"metrics.`{metric}` {'DESC' if higher else 'ASC'}"], max_results=1
    )
    by_id = {r.info.run_id: r.info.run_name for r in runs}
    deployments: dict[str, str | None] = {}
    for model in client.search_registered_models():
        for alias, version in client.get_registered_model(model.name).aliases.items():
            v = client.get_model_version(model.name, version)
            if alias in aliases and v.run_id in by_id:
                deployments[slugify(f"{model.name}-v{version}-{alias}")] = by_id[v.run_id]
        for v in client.search_model_versions(f"name = '{model.name}'"):
            if v.current_stage == "Production" and v.run_id in by_id:
                deployments[slugify(f"{model.name}-v{v.version}-Production")] = by_id[v.run_id]
    return Answers(
        runs=[r.info.run_name for r in runs],
        best=best.info.run_name if metric in best.data.metrics else None,
        deployments=deployments,
        values=[(r.info.run_name, r.data.metrics[metric]) for r in runs if metric in r.data.metrics],
    )


def from_tensorboard(logdir, tag: str) -> tuple[list[str], list[tuple[str, float]]]:
    """Run folders by first event and each one's last value of ``tag``, from TensorBoard's reader."""
    from tensorboard.backend.event_processing.plugin_event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util

    found = []
    for folder in sorted({p.parent for p in logdir.rglob("*tfevents*")}):
        acc = EventAccumulator(str(folder), size_guidance={"tensors": 0})
        acc.Reload()
        last = None
        if tag in acc.PluginTagToContent("scalars"):
            events = sorted(acc.Tensors(tag), key=lambda e: (e.wall_time, e.step))
            last = float(tensor_util.make_ndarray(events[-1].tensor_proto).item())
        found.append((acc.FirstEventTimestamp(), folder.relative_to(logdir).as_posix(), last))
    found.sort()
    return [name for _, name, _ in found], [(name, v) for _, name, v in found if v is not None]
