"""A project's primary metric when none is named (issue #11): stored, else inferred from its runs."""

from __future__ import annotations

import pytest

from contexta_core.queries.primary_metric import metric_rank, stage_rank
from contexta_core.results import ProjectDefaults


def record(ctx, project: str, runs: int, stages: dict[str, dict[str, float]]) -> None:
    """``runs`` runs, each logging ``stages`` in the given order."""
    for n in range(runs):
        with ctx.run(f"{project}-{n}", project=project) as run:
            for stage, metrics in stages.items():
                with run.stage(stage) as s:
                    for key, value in metrics.items():
                        s.log_metric(key, value + n / 100)


def test_detection_project_is_ranked_by_map50_in_its_validation_stage(ctx):
    record(
        ctx,
        "pedestrian-detector",
        3,
        {"train": {"box_loss": 1.0}, "validate": {"latency_ms": 12, "map50": 0.6}},
    )
    defaults = ctx.get_project_defaults("pedestrian-detector")
    # latency_ms is logged first and by as many runs, but is an operational measure, not quality
    assert defaults == ProjectDefaults("map50", "validate", True) and defaults.chosen_by == "inferred"
    best = ctx.best_run("pedestrian-detector", defaults.metric_key, stage_name="validate")
    assert best.run_name == "pedestrian-detector-2"


def test_speech_project_is_ranked_by_wer_lower_is_better(ctx):
    record(ctx, "asr", 2, {"eval": {"wer": 0.2, "cer": 0.1}})
    assert ctx.get_project_defaults("asr") == ProjectDefaults("wer", "eval", False)  # logged first
    summary = ctx.onboarding_summary("asr")
    assert summary.best.run_name == "asr-0" and summary.scope.chosen_by == "inferred"


def test_the_metric_most_runs_record_wins(ctx):
    record(ctx, "ranker", 1, {"test": {"mrr": 0.3}})
    with ctx.run("ranker-1", project="ranker") as run, run.stage("test") as s:
        s.log_metric("ndcg_10", 0.5)
    with ctx.run("ranker-2", project="ranker") as run, run.stage("test") as s:
        s.log_metric("ndcg_10", 0.6)
    assert ctx.get_project_defaults("ranker").metric_key == "ndcg_10"


def test_run_level_metrics_and_stored_defaults(ctx):
    for n in range(2):
        with ctx.run(f"lm-{n}", project="lm") as run:
            run.log_metric("perplexity", 20.0 - n)
    assert ctx.get_project_defaults("lm") == ProjectDefaults("perplexity", None, False)
    assert ctx.best_run("lm", "perplexity", stage_name=None, higher_is_better=False).run_name == "lm-1"
    ctx.set_project_defaults("lm", metric_key="perplexity", stage_name=None, higher_is_better=True)
    stored = ctx.get_project_defaults("lm")
    assert stored == ProjectDefaults("perplexity", None, True) and stored.chosen_by == "stored"


def test_a_named_metric_is_marked_asked(ctx):
    record(ctx, "cls", 2, {"evaluate": {"accuracy": 0.8, "f1": 0.7}})
    assert ctx.resolve_defaults("cls").chosen_by == "inferred"
    assert ctx.resolve_defaults("cls", "f1").chosen_by == "asked"


def test_a_project_without_metrics_falls_back(ctx):
    with ctx.run("r", project="nothing"):
        pass
    defaults = ctx.get_project_defaults("nothing")
    assert defaults == ProjectDefaults() and defaults.chosen_by == "fallback"


@pytest.mark.parametrize(
    ("stage", "rank"),
    [("evaluate", 0), ("val", 0), ("offline-test", 0), ("deploy", 1), (None, 2), ("train", 3)],
)
def test_stage_rank(stage, rank):
    assert stage_rank(stage) == rank


@pytest.mark.parametrize(
    ("key", "rank"),
    [
        ("top5_acc", 0),
        ("map50", 0),
        ("wer", 1),
        ("rmse", 1),
        ("val_loss", 2),
        ("logloss", 2),
        ("latency_ms", 3),
    ],
)
def test_metric_rank(key, rank):
    assert metric_rank(key) == rank
