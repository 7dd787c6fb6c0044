"""How training code records a run that the bot and the CLI see at once.

    python examples/record_training_run.py --workspace .contexta --name churn-v7

Simulates a short training job: a `train` stage logging the loss per epoch, an `evaluate` stage
logging accuracy/auc/f1, an event, and (with --deploy) a production deployment of the run.
Afterwards `contexta onboard churn-prediction` (or `/contexta best` in Slack) includes it.
"""

from __future__ import annotations

import argparse
import random

from contexta import Contexta
from contexta.config import UnifiedConfig, WorkspaceConfig


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", default=".contexta")
    parser.add_argument("--project", default="churn-prediction")
    parser.add_argument("--name", default="churn-v7")
    parser.add_argument("--deploy", metavar="DEPLOYMENT", help="also record a production deployment")
    args = parser.parse_args(argv)

    config = UnifiedConfig(project_name=args.project, workspace=WorkspaceConfig(root_path=args.workspace))
    rng = random.Random(args.name)
    with Contexta(config=config) as ctx:
        with ctx.run(args.name, description="example training job") as run:
            run.log_event("training.started", f"{args.name}: gradient boosting, 5 epochs")
            with run.stage("train") as stage:
                for epoch in range(5):
                    stage.log_metric("loss", round(0.6 / (epoch + 1) + rng.uniform(0, 0.02), 4), step=epoch)
            with run.stage("evaluate") as stage:
                accuracy = round(0.90 + rng.uniform(0, 0.02), 3)
                stage.log_metric("accuracy", accuracy)
                stage.log_metric("auc", round(accuracy + 0.03, 3))
                stage.log_metric("f1", round(accuracy - 0.006, 3))
        if args.deploy:
            ctx.record_deployment(args.deploy, run.run_id)
        best = ctx.best_run(args.project, "accuracy", stage_name="evaluate")
        summary = f"recorded {run.run_id} (accuracy {accuracy}); best is now {best.run_name} ({best.value})"
    print(summary)
    return summary


if __name__ == "__main__":
    main()
