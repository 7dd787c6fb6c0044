"""Recognising the workspace's own names — projects, runs, deployments, stages, metrics — in what people type.

Nothing here is a fixed list of names: every name comes from the store (``queries.names``), read
once per data version (``Contexta.vocabulary``). People write names loosely, so a name is found

- whatever the case and whichever of ``-``, ``_``, ``.``, space or nothing separates its words
  ("Churn_Prediction", "churn prediction", "churnprediction" are all `churn-prediction`);
- with typos, scaled to the name's length (none for names of up to 3 letters, one edit up to 7,
  two up to 14, three beyond; a swap of two letters is one edit): "churn-predction", "accuary";
  digits are never a typo (`churn-v9-apr` is not `churn-v6-apr`);
- by a distinctive word of it — one no other name of its kind has ("churn", "the detector",
  "latency" for `latency_ms`) — or an abbreviation of that word of 3–5 letters ("ped" for
  `pedestrian-detector`; longer prefixes are ordinary words: "predict");
- by the initials of the words of a metric ("word error rate" for `wer`);
- with Korean particles glued on ("fraud-detection에서", "map50은") and, through a small glossary
  of common ML words, in Korean ("보행자 검출기" for `pedestrian-detector`, "정확도" for `accuracy`).

Matches carry a score (100 exact … 50 a word several names share) so callers can tell a clear
reading from a guess, and the span they cover, so one stretch of text is never two names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from ..queries.names import MetricUsage, WorkspaceNames

EXACT, FUZZY, ACRONYM, WORD, ABBREVIATION, SHARED = 100, 90, 80, 70, 60, 50

# Korean particles and endings that glue onto a name ("churn이랑", "map50은", "fraud-detection에서").
PARTICLES = tuple(
    sorted(
        {"은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "한테", "로", "으로", "와", "과", "랑",
         "이랑", "하고", "도", "만", "보다", "부터", "까지", "처럼", "이나", "나", "엔", "에선", "이야", "야",
         "이에요", "예요", "인데", "인가요", "이요", "요", "쪽", "쪽은", "쪽에서", "기준", "기준으로"},
        key=len,
        reverse=True,
    )
)  # fmt: skip

# Korean words of the ML trade, as the English words names are made of. Language knowledge, not
# names: a name matches only if the workspace has it.
GLOSSARY = {
    "보행자": "pedestrian", "검출기": "detector", "검출": "detection", "탐지기": "detector",
    "탐지": "detection", "감지": "detection", "이탈": "churn", "예측": "prediction", "사기": "fraud",
    "이상거래": "fraud", "콜센터": "call center", "음성인식": "speech recognition", "음성": "speech",
    "추천": "recommendation", "검색": "search", "랭킹": "ranking", "순위": "ranking", "번역": "translation",
    "분류": "classification", "분류기": "classifier", "감성": "sentiment", "이미지": "image",
    "객체": "object", "얼굴": "face", "수요": "demand", "가격": "price", "고객": "customer",
    "정확도": "accuracy", "재현율": "recall", "정밀도": "precision", "손실": "loss",
    "지연시간": "latency", "지연": "latency", "응답시간": "latency", "레이턴시": "latency",
    "오류율": "error", "에러율": "error", "단어오류율": "wer", "문자오류율": "cer",
    "처리량": "throughput", "혼잡도": "perplexity", "학습": "train", "훈련": "train", "평가": "evaluate",
    "검증": "validate", "테스트": "test",
}  # fmt: skip

# Words too common to stand for one name on their own, even when only one name has them.
_COMMON = """a an the and or of for to in on at by is are be my our your this that it its new old main
model models project projects team service pipeline system run runs best top data test dev prod
production ml ai v1 v2 v3 final latest all any can call me do you what which how show"""
COMMON_WORDS = frozenset(_COMMON.split())

_TOKEN_RE = re.compile(r"[0-9A-Za-z가-힣ㄱ-ㅎㅏ-ㅣ][0-9A-Za-z가-힣ㄱ-ㅎㅏ-ㅣ_.@%/+-]*")
_EDGE_RE = re.compile(r"(?<=[A-Za-z0-9])(?=[가-힣ㄱ-ㅎ])|(?<=[가-힣ㄱ-ㅎ])(?=[A-Za-z0-9])")
_SEP_RE = re.compile(r"[-_./@%+\s]+")
_HANGUL_RE = re.compile(r"[가-힣]")
_GLOSSARY_LONGEST_FIRST = sorted(GLOSSARY, key=len, reverse=True)
_PARTICLE_SET = frozenset(PARTICLES)


@dataclass(frozen=True, slots=True)
class Word:
    """One word of the text (a name's separators split it), with where it came from."""

    text: str
    start: int
    end: int
    token: int  # index of the whitespace/punctuation-delimited token it is part of


@dataclass(frozen=True, slots=True)
class NameMatch:
    name: str
    kind: str  # project | metric | stage | run | deployment
    score: int
    start: int
    end: int
    project: str | None = None  # the project a metric, stage, run or deployment belongs to

    @property
    def exact(self) -> bool:
        return self.score >= EXACT


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str
    project: str | None
    words: tuple[str, ...]
    compact: str


def allowed_edits(length: int) -> int:
    """How many typos a name of ``length`` letters tolerates."""
    return 0 if length <= 3 else 1 if length <= 7 else 2 if length <= 14 else 3


def name_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in _SEP_RE.split(name.casefold()) if w)


def strip_particle(word: str) -> str:
    """ "fraud프로젝트에서" keeps its stem; a word that is all particle is kept as it is."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle):
            return word[: -len(particle)]
    return word


def _pieces(text: str):
    """(piece, start, token index): the text's tokens, cut where Latin meets Hangul."""
    for index, token in enumerate(_TOKEN_RE.finditer(text)):
        start = token.start()
        for piece in _EDGE_RE.split(token.group()):
            yield piece, start, index
            start += len(piece)


def _glossary_english(word: str) -> str | None:
    return GLOSSARY.get(word) or next(
        (GLOSSARY[k] for k in _GLOSSARY_LONGEST_FIRST if word.startswith(k)), None
    )


def text_words(text: str) -> list[Word]:
    """The words of ``text`` as names are compared with them: casefolded, split at a name's
    separators and where Latin meets Hangul, Korean particles off, Korean ML words in English."""
    words: list[Word] = []
    previous_token = -1
    for piece, start, index in _pieces(text):
        glued, previous_token = index == previous_token, index
        if glued and piece in _PARTICLE_SET:  # "map50은": the particle is no word of its own
            continue
        for part in re.finditer(r"[^-_./@%+]+", piece):
            raw = part.group().casefold()
            begin, end = start + part.start(), start + part.end()
            if _HANGUL_RE.search(raw):
                english = GLOSSARY.get(raw)
                raw = strip_particle(raw)
                english = english or _glossary_english(raw)
                if english:
                    words.extend(Word(w, begin, end, index) for w in english.split())
                    continue
            words.append(Word(raw, begin, end, index))
    return words


class Vocabulary:
    """The names of one workspace at one data version, ready to be found in text."""

    def __init__(self, names: WorkspaceNames):
        self.names = names
        self.projects = tuple(p.name for p in names.projects)
        self._metrics: dict[str | None, tuple[MetricUsage, ...]] = {p.name: p.metrics for p in names.projects}
        entries: list[_Entry] = [self._entry(p, "project", None) for p in self.projects]
        for project in names.projects:
            keys = dict.fromkeys(m.key for m in project.metrics)
            stages = dict.fromkeys(m.stage for m in project.metrics if m.stage)
            entries += [self._entry(k, "metric", project.name) for k in keys]
            entries += [self._entry(s, "stage", project.name) for s in stages]
            entries += [self._entry(r, "run", project.name) for r in project.runs]
            entries += [self._entry(d, "deployment", project.name) for d in project.deployments]
        self._by_kind: dict[str, list[_Entry]] = {}
        for entry in entries:
            self._by_kind.setdefault(entry.kind, []).append(entry)
        self._runs = {
            e.name.casefold(): e
            for e in [*self._by_kind.get("run", ()), *self._by_kind.get("deployment", ())]
        }
        self._distinctive = {kind: self._distinctive_words(es) for kind, es in self._by_kind.items()}
        self.words = frozenset(w for e in entries for w in e.words)  # every word of every name
        self.recorded = frozenset((p.name, m.key) for p in names.projects for m in p.metrics)

    @staticmethod
    def _entry(name: str, kind: str, project: str | None) -> _Entry:
        words = name_words(name)
        return _Entry(name, kind, project, words, "".join(words))

    @staticmethod
    def _distinctive_words(entries: list[_Entry]) -> dict[str, list[_Entry]]:
        """word -> the distinct names of this kind that have it (a metric's name counts once however
        many projects record it)."""
        owners: dict[str, dict[str, _Entry]] = {}
        for entry in entries:
            for word in set(entry.words):
                if len(word) >= 3 and not word.isdigit() and word not in COMMON_WORDS:
                    owners.setdefault(word, {}).setdefault(entry.name, entry)
        return {word: list(found.values()) for word, found in owners.items()}

    # -- finding names -------------------------------------------------------------------------

    def find(
        self, text: str, kind: str, project: str | None = None, words: list[Word] | None = None
    ) -> list[NameMatch]:
        """Every name of ``kind`` (of ``project``, when given) in ``text``, best first, no two on one span."""
        words = text_words(text) if words is None else words
        entries = [e for e in self._by_kind.get(kind, ()) if project is None or e.project in (None, project)]
        if not entries or not words:
            return []
        grams = _NGrams(words)
        found = [m for e in entries if (m := self._match(e, grams))]
        found += self._word_matches(kind, entries, words)
        return _without_overlaps(found)

    def find_projects(self, text: str, words: list[Word] | None = None) -> list[NameMatch]:
        return self.find(text, "project", words=words)

    def find_metric(
        self, text: str, project: str | None = None, words: list[Word] | None = None
    ) -> NameMatch | None:
        """The metric ``text`` names: one the project records, else one any project records (the
        answer then says the project lacks it); ties go to the metric more runs record."""
        for scope in (project, None) if project else (None,):
            found = self.find(text, "metric", scope, words)
            if found:
                top = found[0].score
                usage: Counter[str] = Counter()
                for p in self.names.projects:
                    for m in p.metrics if scope in (None, p.name) else ():
                        usage[m.key] += m.runs
                return max((m for m in found if m.score == top), key=lambda m: (usage[m.name], -len(m.name)))
        return None

    def find_stage(self, word: str, project: str | None = None) -> NameMatch | None:
        """The stored stage a single typed word means (case, separators, typos)."""
        found = self.find(word, "stage", project)
        return found[0] if found and found[0].score > ACRONYM else None

    def find_runs(self, text: str) -> list[NameMatch]:
        """Runs and deployments named in full (or with a typo) in ``text``, in the order typed."""
        found = []
        for piece, start, _ in _pieces(text):
            cleaned = piece.rstrip(".").casefold()
            if len(cleaned) < 3 or not re.search(r"[-_.]|\d", cleaned):
                continue
            entry = self._runs.get(cleaned) or self._closest_run(cleaned)
            if entry is not None:
                score = EXACT if entry.name.casefold() == cleaned else FUZZY
                found.append(
                    NameMatch(entry.name, entry.kind, score, start, start + len(cleaned), entry.project)
                )
        return found

    def match_project(self, typed: str) -> NameMatch | None:
        """The project one typed argument means (a slash command's word), or None if it is none."""
        found = [m for m in self.find_projects(typed) if m.score >= ABBREVIATION]
        if len(found) == 1 or (found and found[0].score > found[1].score):
            return found[0]
        return None

    def metrics_of(self, project: str) -> tuple[MetricUsage, ...]:
        return self._metrics.get(project, ())

    # -- how one name is matched ---------------------------------------------------------------

    def _closest_run(self, token: str) -> _Entry | None:
        budget = allowed_edits(len(token))
        if budget == 0 or not self._runs:
            return None
        digits = _digits(token)
        for name, _distance, _ in process.extract_iter(
            token, list(self._runs), scorer=DamerauLevenshtein.distance, score_cutoff=budget
        ):
            if _digits(name) == digits:  # churn-v9-apr is another run than churn-v6-apr, not a typo
                return self._runs[name]
        return None

    @staticmethod
    def _match(entry: _Entry, grams: _NGrams) -> NameMatch | None:
        """The best place the whole name is written in the text: exactly, with typos, or (metrics)
        as the initials of its words."""
        budget = allowed_edits(len(entry.compact))
        best: tuple[int, tuple[int, int]] | None = None
        for size in range(1, len(entry.words) + 2):
            exact = grams.exact(size, entry.compact)
            if exact is not None:
                best = (EXACT, exact)
                break
            if budget:
                near = grams.near(size, entry.compact, budget)
                if near is not None and (best is None or FUZZY - near[0] > best[0]):
                    best = (FUZZY - near[0], near[1])
        if best is not None:
            return NameMatch(entry.name, entry.kind, best[0], *best[1], entry.project)
        if entry.kind == "metric":
            letters = re.sub(r"\d+$", "", entry.compact)
            span = grams.initials(letters)
            if span is not None:
                return NameMatch(entry.name, entry.kind, ACRONYM, *span, entry.project)
        return None

    def _word_matches(self, kind: str, entries: list[_Entry], words: list[Word]) -> list[NameMatch]:
        """Names found by one distinctive word (or its abbreviation); a word several names share
        finds them all, at a lower score, so the caller can ask which."""
        allowed = {e.name for e in entries}
        found = []
        for w in words:
            if len(w.text) < 3 or w.text in COMMON_WORDS or w.text.isdigit():
                continue
            owners = self._distinctive[kind].get(w.text)
            score = WORD
            if owners is None and len(w.text) >= 5:  # a typo of a distinctive word
                near = [
                    (word, DamerauLevenshtein.distance(word, w.text))
                    for word in self._distinctive[kind]
                    if word[0] == w.text[0] and abs(len(word) - len(w.text)) <= 1
                ]
                near = [word for word, d in near if d <= allowed_edits(len(word))]
                owners = self._distinctive[kind].get(near[0]) if len(near) == 1 else None
            if owners is None and 3 <= len(w.text) <= 5 and not _HANGUL_RE.search(w.text):
                prefixed = [
                    word
                    for word in self._distinctive[kind]
                    if word.startswith(w.text) and len(word) >= len(w.text) + 2
                ]
                owners = [e for word in prefixed for e in self._distinctive[kind][word]] or None
                score = ABBREVIATION
            if not owners:
                continue
            owners = [e for e in dict.fromkeys(owners) if e.name in allowed]
            by_name = {e.name: e for e in owners}
            if not by_name:
                continue
            final = score if len(by_name) == 1 else SHARED
            found += [NameMatch(e.name, kind, final, w.start, w.end, e.project) for e in by_name.values()]
        return found


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class _NGrams:
    """The text's runs of 1…n consecutive words, joined without separators, built once per text
    and shared by every name compared with it."""

    def __init__(self, words: list[Word]):
        self.words = words
        self._by_size: dict[int, tuple[list[str], list[tuple[int, int]], dict[str, tuple[int, int]]]] = {}

    def _size(self, size: int):
        if size not in self._by_size:
            texts, spans, first = [], [], {}
            for i in range(len(self.words) - size + 1):
                span = self.words[i : i + size]
                joined = "".join(w.text for w in span)
                texts.append(joined)
                spans.append((span[0].start, span[-1].end))
                first.setdefault(joined, spans[-1])
            self._by_size[size] = (texts, spans, first)
        return self._by_size[size]

    def exact(self, size: int, compact: str) -> tuple[int, int] | None:
        return self._size(size)[2].get(compact)

    def near(self, size: int, compact: str, budget: int) -> tuple[int, tuple[int, int]] | None:
        """(edits, span) of the closest n-gram within ``budget`` edits that starts with the same
        letter and has at least 4 letters."""
        texts, spans, _ = self._size(size)
        best = None
        for text, _score, index in process.extract_iter(
            compact, texts, scorer=DamerauLevenshtein.distance, score_cutoff=budget
        ):
            same_digits = _digits(text) == _digits(compact)  # "v2" and "v3" are two names, not a typo
            if (
                len(text) >= 4
                and text[0] == compact[0]
                and same_digits
                and (best is None or _score < best[0])
            ):
                best = (int(_score), spans[index])
        return best

    def initials(self, letters: str) -> tuple[int, int] | None:
        size = len(letters)
        if not 2 <= size <= 4:
            return None
        for i in range(len(self.words) - size + 1):
            span = self.words[i : i + size]
            if "".join(w.text[0] for w in span) == letters:
                return span[0].start, span[-1].end
        return None


def _without_overlaps(found: Iterable[NameMatch]) -> list[NameMatch]:
    """Best first (score, then the longer span); a match overlapping a better one is dropped,
    unless it is an equally good reading of the same words (two names sharing a word)."""
    kept: list[NameMatch] = []
    seen: set[str] = set()
    for match in sorted(found, key=lambda m: (-m.score, -(m.end - m.start), m.start)):
        if match.name in seen:
            continue
        clash = [k for k in kept if k.start < match.end and match.start < k.end]
        if clash and not all(
            k.score == match.score and (k.start, k.end) == (match.start, match.end) for k in clash
        ):
            continue
        kept.append(match)
        seen.add(match.name)
    return kept
