"""``make intent-index``: the semantic fallback's examples and their embeddings, from the corpus.

Only the tune split of ``bench/questions/corpus.jsonl`` is used (the held-out split stays unseen),
each question masked as the router masks it against the corpus workspace
(``contexta_core.ask.router.semantic_text``). Writes ``contexta_core/ask/intent_examples.jsonl``
and ``intent_examples.npz``; a test checks the two match.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from bench.eval_questions import load_corpus
    from bench.questions.workspace import build_question_workspace
    from contexta_core import Contexta
    from contexta_core.ask import semantic
    from contexta_core.ask.router import semantic_text

    with tempfile.TemporaryDirectory() as tmp, Contexta(workspace=tmp) as ctx:
        build_question_workspace(ctx)
        vocabulary = ctx.vocabulary()
        rows = []
        for item in load_corpus():
            if item["split"] == "tune":
                rows.append({"text": semantic_text(item["text"], vocabulary), "intent": item["intent"]})
    rows = list({(r["text"], r["intent"]): r for r in rows}.values())
    with semantic.EXAMPLES.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    texts, intents = semantic.read_examples()
    semantic.build_index(semantic.load_encoder(), texts, intents)
    print(f"{len(texts)} examples -> {semantic.EXAMPLES.name}, {semantic.INDEX.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
