"""The workspace the question corpus is asked against: four projects measured in different ways.

Built with the capture API, like a team's training code would: churn-prediction (the demo:
accuracy/auc/f1 on `evaluate`), pedestrian-detector (map50, map50_95, recall, latency_ms on
`validate`), call-center-asr (wer, cer, rtf on `eval`) and fraud-detection (precision, recall,
f1, auc_pr on `test`), each with a training loss, its runs and some deployments.
"""

from __future__ import annotations

from contexta_core import Contexta
from contexta_core.synthetic import seed_demo

PROJECTS = {
    "pedestrian-detector": (
        "validate",
        "box_loss",
        [
            ("ped-yolov8s-0312", {"map50": 0.61, "map50_95": 0.38, "recall": 0.70, "latency_ms": 11.0}),
            ("ped-yolov8m-0401", {"map50": 0.67, "map50_95": 0.43, "recall": 0.74, "latency_ms": 19.5}),
            ("ped-rtdetr-0415", {"map50": 0.71, "map50_95": 0.47, "recall": 0.77, "latency_ms": 27.0}),
        ],
        [("edge-rollout-1", "ped-yolov8m-0401")],
    ),
    "call-center-asr": (
        "eval",
        "ctc_loss",
        [
            ("asr-conformer-v1", {"wer": 0.142, "cer": 0.061, "rtf": 0.21}),
            ("asr-whisper-ft-v2", {"wer": 0.118, "cer": 0.049, "rtf": 0.35}),
        ],
        [("asr-prod-1", "asr-conformer-v1")],
    ),
    "fraud-detection": (
        "test",
        "logloss",
        [
            ("fraud-xgb-01", {"precision": 0.81, "recall": 0.66, "f1": 0.73, "auc_pr": 0.71}),
            ("fraud-gnn-02", {"precision": 0.84, "recall": 0.71, "f1": 0.77, "auc_pr": 0.76}),
        ],
        [],
    ),
}


def build_question_workspace(ctx: Contexta) -> None:
    """Write the four projects into an empty workspace."""
    seed_demo(ctx)
    for project, (stage, loss, runs, deployments) in PROJECTS.items():
        for i, (name, metrics) in enumerate(runs):
            with ctx.run(name, project=project) as run:
                with run.stage("train") as train:
                    train.log_metric(loss, 1.0 / (i + 2))
                with run.stage(stage) as evaluation:
                    for key, value in metrics.items():
                        evaluation.log_metric(key, value)
        for name, run_name in deployments:
            ctx.record_deployment(name, f"run:{project}.{run_name}")
