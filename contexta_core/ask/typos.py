"""Mistyped cue words put right before the router's rules read them ("deplyed", "reprot", "배퐆").

Only words that are not already words are touched: a token is corrected to a cue word when it is
one edit away (a swapped pair counts as one; two for words of eight letters or more) and is
neither a cue word itself nor a common word that happens to be that close ("last" is not "list").
Hangul is compared letter by letter (jamo), and only when the initial consonants agree (and, for
two-syllable words, the vowels too), so "싱행" becomes "실행" and "배퐆" "배포", but "배고파" stays
hungry and "차이" stays a difference.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

_EN_CUES = [
    "runs",
    "experiments",
    "experiment",
    "trainings",
    "training",
    "trained",
    "models",
    "versions",
    "list",
    "show",
    "enumerate",
    "called",
    "named",
    "many",
    "deploy",
    "deployed",
    "deploys",
    "deployment",
    "deployments",
    "production",
    "serving",
    "served",
    "shipped",
    "released",
    "rolled",
    "rollout",
    "trend",
    "trending",
    "trends",
    "time",
    "evolved",
    "evolve",
    "evolving",
    "improving",
    "improved",
    "improve",
    "regressed",
    "regress",
    "regression",
    "degraded",
    "progress",
    "progression",
    "changed",
    "change",
    "changes",
    "chart",
    "graph",
    "plot",
    "report",
    "reports",
    "comparison",
    "compare",
    "comparing",
    "compared",
    "table",
    "matrix",
    "spreadsheet",
    "structured",
    "onboard",
    "onboarding",
    "overview",
    "summary",
    "summarize",
    "summarise",
    "introduction",
    "explain",
    "started",
    "help",
    "commands",
    "usage",
    "best",
    "highest",
    "lowest",
    "greatest",
    "strongest",
    "optimal",
    "winner",
    "winning",
    "projects",
    "project",
    "difference",
    "versus",
    "against",
    "better",
    "worse",
    "history",
    "performance",
    "performing",
    "news",
    "since",
    "asked",
    "checked",
    "looked",
    "visited",
    "happened",
    "missed",
    "updates",
    "update",
    "lately",
    "recently",
]
# Real words one edit from a cue word: left alone.
_KEEP = frozenset(
    [
        "last",
        "lost",
        "locked",
        "messed",
        "singe",
        "upstate",
        "lastly",
        "masked",
        "tasked",
        "most",
        "post",
        "rest",
        "test",
        "best",
        "bet",
        "runs",
        "guns",
        "sums",
        "tuns",
        "rune",
        "ruin",
        "list",
        "lust",
        "mist",
        "fist",
        "show",
        "shoe",
        "snow",
        "chat",
        "char",
        "chart",
        "plat",
        "plot",
        "slot",
        "shot",
        "deploy",
        "employ",
        "report",
        "resort",
        "repeat",
        "compare",
        "compete",
        "company",
        "better",
        "bitter",
        "letter",
        "batter",
        "butter",
        "worse",
        "horse",
        "worst",
        "verse",
        "nurse",
        "curse",
        "purse",
        "table",
        "cable",
        "fable",
        "stable",
        "able",
        "trend",
        "tread",
        "treat",
        "tend",
        "time",
        "tome",
        "tame",
        "tile",
        "line",
        "help",
        "held",
        "hell",
        "helm",
        "heap",
        "many",
        "mans",
        "may",
        "any",
        "man",
        "name",
        "game",
        "same",
        "came",
        "fame",
        "case",
        "cast",
        "past",
        "best",
        "models",
        "modes",
        "model",
        "motel",
        "modal",
        "top",
        "tip",
        "tap",
        "toy",
        "ton",
        "change",
        "charge",
        "chance",
        "range",
        "graph",
        "grape",
    ]
)
EN_CUES = frozenset(_EN_CUES)
KO_CUES = (
    "배포", "프로덕션", "운영", "서빙", "라이브", "릴리스", "실행", "실험", "목록", "리스트", "리포트",
    "레포트", "보고서", "추이", "추세", "변화", "그래프", "차트", "온보딩", "요약", "개요", "최고",
    "베스트", "비교", "프로젝트", "정확도", "학습", "도움말", "사용법", "명령어", "차이", "대비",
    "소식", "뉴스", "업데이트",
)  # fmt: skip
_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
_HANGUL_WORD = re.compile(r"[가-힣]{2,}")
_SPELLINGS = (("됬", "됐"), ("되써", "됐어"))  # common misspellings, not typos


def _jamo(syllables: str) -> str:
    out = []
    for ch in syllables:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(chr(0x1100 + code // 588))
            out.append(chr(0x1161 + (code % 588) // 28))
            if code % 28:
                out.append(chr(0x11A7 + code % 28))
        else:
            out.append(ch)
    return "".join(out)


def _initials(syllables: str) -> tuple[int, ...]:
    return tuple((ord(ch) - 0xAC00) // 588 for ch in syllables)


def _medials(syllables: str) -> tuple[int, ...]:
    return tuple(((ord(ch) - 0xAC00) % 588) // 28 for ch in syllables)


@lru_cache(maxsize=4096)
def correct_latin(word: str) -> str:
    lowered = word.lower()
    if lowered in EN_CUES or lowered in _KEEP:
        return word
    budget = 2 if len(lowered) >= 8 else 1
    best = None
    for cue in EN_CUES:
        if abs(len(cue) - len(lowered)) > budget or cue[0] != lowered[0]:
            continue
        distance = DamerauLevenshtein.distance(cue, lowered, score_cutoff=budget)
        if distance <= budget and (best is None or distance < best[0]):
            best = (distance, cue)
    return best[1] if best else word


@lru_cache(maxsize=4096)
def correct_hangul(word: str) -> str:
    """A Hangul word whose start is one jamo away from a cue word gets the cue word as its start."""
    for cue in KO_CUES:
        if word.startswith(cue):
            return word
    for cue in KO_CUES:
        head = word[: len(cue)]
        if len(head) < len(cue) or _initials(head) != _initials(cue):
            continue
        if len(cue) == 2 and _medials(head) != _medials(cue):
            continue  # two syllables: only a final consonant may be off ("차이" is no "추이")
        if DamerauLevenshtein.distance(_jamo(head), _jamo(cue), score_cutoff=1) <= 1:
            return cue + word[len(cue) :]
    return word


def correct_typos(text: str, keep: frozenset[str] = frozenset()) -> str:
    """``text`` with mistyped cue words corrected; words in ``keep`` (casefolded, e.g. the words
    of the workspace's own names) are never touched."""
    for wrong, right in _SPELLINGS:
        text = text.replace(wrong, right)

    def latin(m: re.Match[str]) -> str:
        return m.group() if m.group().casefold() in keep else correct_latin(m.group())

    text = _LATIN_WORD.sub(latin, text)
    return _HANGUL_WORD.sub(lambda m: correct_hangul(m.group()), text)
