"""Importing TensorBoard logs (fixtures/tensorboard_logs, written by fixtures/make_tensorboard_logs.py
with TensorBoard's own event writer); the answers must be what TensorBoard's reader says."""

from __future__ import annotations

import pytest

from contexta_core.importers import ImportSourceError, open_importer, run_import

from .answers import from_tensorboard, ours
from .fixtures.make_tensorboard_logs import write_logs


def _import(ctx, logdir, project="MNIST", **kwargs):
    return run_import(ctx, open_importer("tensorboard", str(logdir), project=project), **kwargs)


def test_the_answers_equal_tensorboards(ctx, tensorboard_logs):
    summary = _import(ctx, tensorboard_logs)
    assert (summary.new_projects, summary.new_runs, summary.records) == (1, 3, 25)
    assert [s.reason for s in summary.skipped] == ["scalar value is NaN or infinite"]
    for tag, key in (
        ("epoch_accuracy", "epoch_accuracy"),
        ("Accuracy", "accuracy"),
        ("epoch_loss", "epoch_loss"),
    ):
        names, values = from_tensorboard(tensorboard_logs, tag)
        answers = ours(ctx, "MNIST", key, higher="loss" not in key)
        assert answers.runs == names
        assert [name for name, _ in answers.values] == [name for name, _ in values]
        assert [v for _, v in answers.values] == pytest.approx([v for _, v in values], abs=1e-6)
        best = (min if "loss" in key else max)(values, key=lambda pair: pair[1])[0]
        assert answers.best == best
    assert ctx.get_project_defaults("MNIST").metric_key == "accuracy"


def test_new_values_and_new_run_folders_come_in_once(ctx, tensorboard_logs):
    _import(ctx, tensorboard_logs)
    count = ctx.record_store.count()
    assert _import(ctx, tensorboard_logs, full=False).nothing_new
    # a run keeps training (a new event file, as after a restart) and another one starts
    write_logs(
        tensorboard_logs,
        {
            "lr-0.01": (86_400 + 600, {"Accuracy": [0.91]}, True),
            "lr-0.001": (172_800, {"Accuracy": [0.5, 0.6]}, False),
        },
    )
    summary = _import(ctx, tensorboard_logs, full=False)
    assert (summary.new_runs, summary.updated_runs, summary.records) == (1, 1, 3)
    assert ctx.record_store.count() == count + 3
    _, values = from_tensorboard(tensorboard_logs, "Accuracy")
    answered = ours(ctx, "MNIST", "accuracy").values
    assert [name for name, _ in answered] == [name for name, _ in values] == ["lr-0.01", "lr-0.001"]
    assert [v for _, v in answered] == pytest.approx([0.91, 0.6]) == [v for _, v in values]


def test_runs_join_an_existing_project_of_that_name(sqlite_ctx, tensorboard_logs):
    with sqlite_ctx.run("hand-recorded", project="MNIST") as run:
        run.log_metric("accuracy", 0.5)
    summary = _import(sqlite_ctx, tensorboard_logs)
    assert summary.new_projects == 0 and len(sqlite_ctx.list_runs("MNIST")) == 4


def test_a_folder_without_event_files(sqlite_ctx, tmp_path):
    summary = _import(sqlite_ctx, tmp_path)
    assert summary.nothing_new and "no event files" in summary.skipped[0].reason
    with pytest.raises(ImportSourceError, match="is not a folder"):
        _import(sqlite_ctx, tmp_path / "missing")
