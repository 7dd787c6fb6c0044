"""``make eval-questions``: how well free-text questions are understood, per intent and language.

Routes every question of ``bench/questions/corpus.jsonl`` against the workspace of
``bench/questions/workspace.py`` and prints accuracy on the held-out split (never used for
tuning: its failures are not printed) and on the tune split, plus routing latency after warm-up.
A question counts as right when its intent is right, its project too (for intents about one
project: the project it names, or none, to be asked back or taken from the channel), and, for
`best` and `trend`, its metric (the stored key, or none when the question names none).

``--failures`` lists the tune split's misses, to work on; the held-out split stays unseen.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CORPUS = Path(__file__).resolve().parent / "questions" / "corpus.jsonl"
METRIC_INTENTS = frozenset({"best", "trend"})
PROJECT_INTENTS = frozenset({"runs", "trend", "deployments", "best", "report", "onboard", "compare", "news"})
WARM_UP = ("hello", "best run?", "정확도 추이", "what's deployed in churn-prediction?", "report")


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def reading(routed) -> str:
    """The intent a routed question was given: `off_topic` for small talk, `unclear` when it was
    asked back (a miss, here), else its intent."""
    if routed.off_topic:
        return "off_topic"
    return routed.intent if routed.understood else "unclear"


def is_right(item: dict, routed) -> tuple[bool, bool]:
    """(intent right, everything right) for one routed question."""
    intent_ok = reading(routed) == item["intent"]
    project_ok = item["intent"] not in PROJECT_INTENTS or (routed.project or None) == item["project"]
    metric_ok = item["intent"] not in METRIC_INTENTS or (routed.metric or None) == item["metric"]
    return intent_ok, intent_ok and project_ok and metric_ok


def table(rows: dict[str, list[tuple[bool, bool]]], title: str) -> str:
    lines = [f"| {title} | n | intent | intent+project+metric |", "|---|---:|---:|---:|"]
    for key in sorted(rows):
        marks = rows[key]
        n = len(marks)
        lines.append(
            f"| {key} | {n} | {100 * sum(i for i, _ in marks) / n:.1f}% | {100 * sum(a for _, a in marks) / n:.1f}% |"
        )
    return "\n".join(lines)


def evaluate(route, corpus: list[dict], split: str) -> dict[str, dict[str, list[tuple[bool, bool]]]]:
    by = {"intent": defaultdict(list), "language": defaultdict(list), "all": defaultdict(list)}
    for item in corpus:
        if item["split"] != split:
            continue
        marks = is_right(item, route(item["text"]))
        by["intent"][item["intent"]].append(marks)
        by["language"][item["language"]].append(marks)
        by["all"][split].append(marks)
    return by


def latencies(route, corpus: list[dict]) -> tuple[list[float], list[float]]:
    """(wall, CPU) milliseconds per question, sorted. CPU time is what the machine's load does not
    inflate (on a shared machine wall time can be several times the work)."""
    for text in WARM_UP:
        route(text)
    wall, cpu = [], []
    for item in corpus:
        start, start_cpu = time.perf_counter(), time.thread_time()
        route(item["text"])
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return sorted(wall), sorted(cpu)


def percentile(sorted_samples: list[float], q: float) -> float:
    return sorted_samples[min(len(sorted_samples) - 1, int(q * len(sorted_samples)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list the tune split's misses")
    args = parser.parse_args(argv)

    from bench.questions.router_under_test import make_router
    from contexta_core import Contexta

    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Contexta(workspace=tmp)
        try:
            from bench.questions.workspace import build_question_workspace

            build_question_workspace(ctx)
            route, costs = make_router(ctx)
            counts = defaultdict(lambda: defaultdict(int))
            for item in corpus:
                counts[item["split"]][item["language"]] += 1
            print(
                f"Corpus: {len(corpus)} questions; "
                + "; ".join(
                    f"{split}: {sum(c.values())} ({', '.join(f'{k} {v}' for k, v in sorted(c.items()))})"
                    for split, c in sorted(counts.items())
                )
            )
            for split in ("heldout", "tune"):
                by = evaluate(route, corpus, split)
                note = " (the semantic examples are these questions: not a measure of generalisation)"
                print(f"\n## {split}{note if split == 'tune' else ''}\n")
                print(table(by["all"], "split"))
                print()
                print(table(by["intent"], "intent"))
                print()
                print(table(by["language"], "language"))
            samples, cpu = latencies(route, corpus)
            vias = defaultdict(int)
            for item in corpus:
                vias[route(item["text"]).via] += 1
            print(
                "\nRouted by: "
                + ", ".join(f"{k} {100 * v / len(corpus):.1f}%" for k, v in sorted(vias.items()))
            )
            print(
                f"\nRouting latency after warm-up ({len(samples)} questions): "
                f"p50 {percentile(samples, 0.5):.2f} ms, p95 {percentile(samples, 0.95):.2f} ms, "
                f"max {samples[-1]:.2f} ms (mean {statistics.fmean(samples):.2f}); CPU time "
                f"p50 {percentile(cpu, 0.5):.2f} ms, p95 {percentile(cpu, 0.95):.2f} ms"
            )
            for line in costs:
                print(line)
            if args.failures:
                print("\n## tune-split misses\n")
                for item in corpus:
                    if item["split"] != "tune":
                        continue
                    routed = route(item["text"])
                    if not is_right(item, routed)[1]:
                        print(
                            f"- {item['text']!r}: want {item['intent']}/{item['project']}/{item['metric']}, "
                            f"got {reading(routed)}/{routed.project}/{routed.metric} ({routed.via})"
                        )
        finally:
            ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
