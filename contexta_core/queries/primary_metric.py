"""A project's primary metric when nobody has said which: inferred from what its runs record.

The rule, in order (each step only breaks the ties of the one before):

Only the project's latest ``RECENT_RUNS`` runs are looked at: that is cheap however long the
history (one index seek, not a scan of 100,000 runs) and follows a team that changed its metric.

1. **The stage.** Stages named like an evaluation (evaluate, eval, validation, val, test,
   benchmark, …) come first, then other stages, then metrics logged outside any stage; training
   stages (train, fit, …) last. Among those, the stage where a metric is recorded by the most runs.
2. **The metric in that stage**: the one recorded by the most runs; then a quality measure
   before an error rate, an error rate before a loss, a loss before an operational measure (latency,
   time, memory, throughput …); then the one the training code logged first in the latest run
   that has them; then by name.
3. **The direction** from the metric's name (``contexta_core.direction``: loss, error, wer,
   perplexity, latency … are lower-is-better).

Stored defaults (``Contexta.set_project_defaults``) always win over this.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from ..direction import lower_is_better
from ..results import ProjectDefaults
from ..store import schema

EVALUATION_WORDS = frozenset(
    {"evaluate", "evaluation", "eval", "evaluating", "validate", "validation", "val", "valid", "test",
     "testing", "benchmark", "bench", "holdout", "score", "scoring", "offline"}
)  # fmt: skip
TRAINING_WORDS = frozenset({"train", "training", "fit", "fitting", "pretrain", "finetune", "tune"})
RECENT_RUNS = 200
OPERATIONAL_WORDS = frozenset(
    {"latency", "time", "duration", "seconds", "sec", "ms", "memory", "mem", "throughput", "fps", "qps",
     "rtf", "speed", "size", "params", "flops", "gpu", "cpu", "epoch", "epochs", "step", "steps", "lr",
     "learning", "rate", "samples", "tokens", "cost"}
)  # fmt: skip
ERROR_WORDS = frozenset({"error", "err", "wer", "cer", "rmse", "mse", "mae", "mape", "perplexity", "ppl"})


def _words(name: str) -> set[str]:
    return set(name.casefold().replace("/", "_").replace(".", "_").replace("-", "_").split("_"))


def stage_rank(stage: str | None) -> int:
    """0 an evaluation stage, 1 another stage, 2 run level, 3 a training stage."""
    if stage is None:
        return 2
    words = _words(stage)
    if words & EVALUATION_WORDS:
        return 0
    return 3 if words & TRAINING_WORDS else 1


def metric_rank(key: str) -> int:
    """0 a quality measure, 1 an error rate, 2 a loss, 3 an operational measure."""
    words = _words(key)
    if words & OPERATIONAL_WORDS:
        return 3
    if any("loss" in w for w in words):
        return 2
    return 1 if words & ERROR_WORDS or lower_is_better(key) else 0


def infer_primary_metric(conn: Connection, project_id: int) -> ProjectDefaults | None:
    """The project's primary metric by the rule above, or None when it records no metric."""
    s, r = schema.metric_summaries, schema.runs
    recent = (
        select(r.c.id)
        .where(r.c.project_id == project_id)
        .order_by(r.c.started_at.desc(), r.c.id.desc())
        .limit(RECENT_RUNS)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(s.c.stage_name, s.c.metric_key, s.c.run_id, s.c.run_started_at).where(s.c.run_id.in_(recent))
    ).all()
    if not rows:
        return None
    by_stage: dict[str | None, dict[str, int]] = {}
    latest: dict[str | None, tuple] = {}
    for stage_name, key, run_id, started in rows:
        stage = stage_name or None
        counts = by_stage.setdefault(stage, {})
        counts[key] = counts.get(key, 0) + 1
        latest[stage] = max(latest.get(stage, (started, run_id)), (started, run_id))
    stage = min(by_stage, key=lambda st: (stage_rank(st), -max(by_stage[st].values()), st or ""))
    counts = by_stage[stage]
    most = max(counts.values())
    tied = sorted(k for k, n in counts.items() if n == most)
    best_rank = min(metric_rank(k) for k in tied)
    tied = [k for k in tied if metric_rank(k) == best_rank]
    if len(tied) > 1:
        order = _first_logged(conn, latest[stage][1])
        tied.sort(key=lambda k: (order.get(k, float("inf")), k))
    key = tied[0]
    return ProjectDefaults(key, stage, not lower_is_better(key), chosen_by="inferred")


def _first_logged(conn: Connection, run_id: int) -> dict[str, int]:
    """Metric key -> when the training code first logged it in that run (the record sequence)."""
    r = schema.records
    rows = conn.execute(
        select(r.c.key, func.min(r.c.id))
        .where(r.c.run_id == run_id, r.c.record_type == "metric")
        .group_by(r.c.key)
    ).all()
    return {key: first for key, first in rows}
