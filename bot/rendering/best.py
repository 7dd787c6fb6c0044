"""Best-run answer: the winner, its value and margin, and whether it is what production serves.

"Best" and "deployed" often differ; the answer says so plainly instead of letting a newcomer
assume the best run is live, and when they differ offers "Compare with production" (the best
run against the live one, side by side, in the thread).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, actions, button, context, finish, header, section
from bot.rendering.deployments import live_line
from bot.rendering.i18n import aggregation_label, t
from bot.rendering.trend import metric_label, trend_chart_button
from contexta_core.results import BestRun, DeploymentAnswer

COMPARE_PRODUCTION = "compare_production"


def production_line(run_id: str, deployments: Sequence[DeploymentAnswer], metric: str, lang: str) -> str:
    """Live / deployed earlier / never deployed, for one run."""
    live = next((a for a in deployments if a.is_live), None)
    mine = [a.deployment.name for a in deployments if a.deployment.run_id == run_id]
    if live is not None and live.deployment.run_id == run_id:
        return t(lang, "best.is_live", deployment=fmt.code(live.deployment.name, 40))
    if mine:
        earlier = t(lang, "best.was_deployed", deployments=", ".join(fmt.code(n, 40) for n in mine[:3]))
        return f"{earlier}\n{live_line(live, metric, lang)}"
    return f"{t(lang, 'best.not_deployed')}\n{live_line(live, metric, lang)}"


def render_best(
    best: BestRun | None,
    *,
    project: str,
    metric: str,
    stage: str | None,
    higher_is_better: bool,
    deployments: Sequence[DeploymentAnswer],
    lang: str,
) -> Rendered:
    label = metric_label(metric, stage)
    top = header(t(lang, "best.header", project=project))
    if best is None:
        message = t(lang, "best.none", metric=fmt.code(label), project=fmt.code(project))
        return finish([top, section(message)], message)
    winner = t(
        lang,
        "best.winner_high" if higher_is_better else "best.winner_low",
        run=fmt.code(best.run_name),
        metric=fmt.code(label),
        value=fmt.number(best.value),
    )
    if best.runner_up_run_name is not None:
        margin = t(
            lang,
            "best.margin",
            margin=fmt.delta(best.margin),
            run=fmt.code(best.runner_up_run_name),
            value=fmt.number(best.runner_up_value),
        )
    else:
        margin = t(lang, "best.alone")
    production = production_line(best.run_id, deployments, metric, lang)
    rule = t(
        lang,
        "best.rule",
        aggregation=aggregation_label(best.aggregation, lang),
        where=fmt.escape(stage) if stage else t(lang, "best.run_level"),
        direction=t(lang, "best.higher" if higher_is_better else "best.lower"),
    )
    live = next((a for a in deployments if a.is_live), None)
    buttons = [trend_chart_button(project, lang, metric=metric, stage=stage)]
    if live is not None and live.deployment.run_id and live.deployment.run_id != best.run_id:
        value = {"project": project, "best": best.run_id, "live": live.deployment.run_id, "lang": lang}
        buttons.append(button(t(lang, "button.compare_live"), COMPARE_PRODUCTION, value))
    blocks = [
        top,
        section(f":trophy: {winner}\n{margin}"),
        section(production),
        context(rule),
        actions(*buttons),
    ]
    state = "best.fb_live" if live and live.deployment.run_id == best.run_id else "best.fb_not_live"
    text = t(
        lang,
        "best.fallback",
        run=fmt.escape(best.run_name),
        metric=fmt.escape(label),
        value=fmt.number(best.value),
        state=t(lang, state),
    )
    return finish(blocks, text)
