"""Which language a person wrote in: the one rule every surface and every answer uses.

Korean when the text has any Hangul syllable, else English. Replies follow the question, so a
Korean question with an English metric name ("f1이 가장 높은 실행") is still answered in Korean.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "ko")
HANGUL = re.compile(r"[가-힣]")
_LATIN_HANGUL_EDGE = re.compile(r"(?<=[A-Za-z0-9])(?=[가-힣])|(?<=[가-힣])(?=[A-Za-z0-9])")


def detect_language(text: str | None) -> str:
    """``ko`` when ``text`` has any Hangul, else ``en``."""
    return "ko" if text and HANGUL.search(text) else "en"


def split_scripts(text: str) -> str:
    """A space where Latin letters or digits meet Hangul, so ``churn-v3-feb랑`` reads as
    ``churn-v3-feb 랑`` and English keywords glued to Korean particles (``best를``) stay words."""
    return _LATIN_HANGUL_EDGE.sub(" ", text)
