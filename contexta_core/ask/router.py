"""Route a free-text question (DM or @mention, English or Korean) to an intent.

Pure (no Slack, no database) so routing can be tested exhaustively. Routing is
rule-based on purpose: answers come from stored run history, so a predictable
"help" beats a confident guess.

Scheme: every intent has regex rules with weights. An intent *matches* when its
weights sum to >= 1 (weak cues of 0.5 need a second cue). When several match, the
most specific wins, in `PRIORITY` order:
compare > best > deployments > trend > report > runs > onboard > help.
`compare` only counts when the text names at least two runs. Nothing matched -> help, with
`understood` False (so a surface can nudge rather than list every command).

A direction is reported only when the words say one ("lowest loss", "가장 높은 f1"); otherwise
`higher_is_better` is None and `contexta_core.direction` decides from the project and metric name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..language import detect_language, split_scripts

MAX_TEXT_LEN = 2000
FUZZY_CUTOFF = 85
AMBIGUITY_MARGIN = 3
PRIORITY = ("compare", "best", "deployments", "trend", "report", "runs", "onboard", "help")

Rule = tuple[str, float]

# Patterns run on lower-cased text where Latin and Hangul runs are split by a space,
# so English keywords glued to Korean particles ("best를") still hit `\b`.
RULES: dict[str, tuple[Rule, ...]] = {
    "compare": (
        (r"\b(compare|comparing|comparison|vs\.?|versus|diff|difference|against)\b", 2),
        (r"비교|차이|대비", 2),
        (r"\b(better|worse)\b|나아|나은|낫", 1),
    ),
    "best": (
        (r"\bbest\b", 2),
        (r"\b(top|highest|lowest|greatest|strongest|optimal|winner|winning|outperform\w*)\b", 1.5),
        (r"최고|최상|최저|베스트|1등|1위", 2),
        (r"(가장|제일)\s*(좋|높|낮|나은|우수|잘)", 2),
    ),
    "deployments": (
        (r"\b(deploy|deployed|deploys|deployment|deployments|production|prod)\b", 2),
        (r"\b(what'?s|what is|is|are|currently|went|go|gone) live\b|\blive (model|version|run)s?\b", 2),
        (r"\b(serving|served|shipped|released)\b", 1.5),
        (r"배포|프로덕션|운영|서빙|라이브|릴리스|릴리즈", 2),
        (r"올라(간|가|갔)", 1),
    ),
    "trend": (
        (r"\btrend(s|ing)?\b|\bover time\b|\bevolv\w*", 2),
        (r"\b(improv\w*|regress\w*|degrad\w*|progress\w*|getting (better|worse))\b", 2),
        (r"\b(chang(e|ed|es|ing)|went (up|down)|go(ne)? (up|down)|history)\b", 1),
        (r"\b(chart|graph|plot)\b", 1.5),
        (r"추이|추세|변했|변화|바뀌|달라졌|개선|좋아지|좋아졌|나빠지|나빠졌|나아지|나아졌|시간에 따라", 2),
        (r"그래프|차트", 1.5),
    ),
    "report": (
        (r"\breports?\b", 2),
        (r"\b(comparison|compare|comparing)\b.*\b(table|all|every|each)\b", 2),
        (r"\b(table|matrix|spreadsheet|structured|side[- ]by[- ]side)\b", 1.5),
        (r"\b(comparison|compare|comparing)\b", 1),
        (r"리포트|레포트|보고서", 2),
        (r"비교\s*(표|테이블)|(전체|모든|모두).{0,12}비교", 2),
        (r"비교|표로|테이블", 1),
    ),
    "runs": (
        (r"\bhow many\b.*\b(runs?|experiments?|trainings?|models?|versions?)\b", 2),
        (r"\b(list|show|enumerate|name)\b.*\b(runs|experiments)\b", 2),
        (r"\bwhat (runs|experiments)\b|\bruns?\b.*\b(called|named)\b", 2),
        (r"\b(runs|experiments)\b", 1),
        (r"\brun\b", 0.5),
        (r"몇\s*(개|번|건|회|가지)", 2),
        (r"(실행|런|학습|실험)(들)?\s*(목록|리스트|이름)|어떤\s*(실행|런|실험)(들)?(이|가)?\s*있", 2),
        (r"목록|리스트", 1),
        (r"실행|실험", 0.5),
    ),
    "onboard": (
        (r"\b(i'?m|i am|we'?re|we are) new\b|\bnew (here|to|joiner|hire|member)\b", 2),
        (r"\b(onboard\w*|overview|summar(y|ise|ize|ized|ised)|big picture|catch me up)\b", 2),
        (r"\beverything about\b|\b(get|getting) started\b|\bwhere (do|should) i start\b", 2),
        (r"\bwhat(?:'s| is) (this|the) project\b", 2),
        (r"\b(intro|introduction|tell me about|explain)\b", 1.5),
        (r"온보딩|요약|개요|전반적|전체적|신입|입사|처음(이|인데|왔)|새로\s*(왔|들어)", 2),
        (r"소개|다 알려|전부 알려|모든 것", 1.5),
    ),
    "help": (
        (r"^\W*(help|h|\?)\W*$", 3),
        (r"\bhelp\b|\b(commands|usage)\b", 1.5),
        (r"\bwhat can (you|i) (do|ask)\b|\bhow (do i|to|can i) use\b|\bwho are you\b", 2),
        (r"도움말|사용법|명령어", 2),
        (r"도움", 1),
        (r"(뭘|뭐|무엇을|무슨\s*일을?)\s*(할|해\s*줄)\s*수\s*있|어떻게\s*(써|쓰|사용)", 2),
    ),
}
_COMPILED = {intent: [(re.compile(p), w) for p, w in rules] for intent, rules in RULES.items()}

METRICS: tuple[tuple[str, str], ...] = (
    ("accuracy", r"\b(accuracy|acc)\b|정확도"),
    ("f1", r"\bf-?1(\s*-?\s*score)?\b|\bf\s*score\b"),
    ("auc", r"\b(roc[\s_-]*)?auc\b|\broc\b"),
    ("precision", r"\bprecision\b|정밀도"),
    ("recall", r"\brecall\b|재현율|민감도"),
    ("rmse", r"\brmse\b"),
    ("mae", r"\bmae\b"),
    ("mse", r"\bmse\b"),
    ("r2", r"\b(r2|r²|r-squared)\b|결정\s*계수"),
    ("latency", r"\blatency\b|지연\s*시간|응답\s*시간"),
    ("error", r"\berror(\s*rate)?\b|오류율|에러율"),
    ("loss", r"\b(val(idation)?[\s_-]*)?loss\b|손실"),
)
_METRIC_RES = [(name, re.compile(p)) for name, p in METRICS]
_LOW_WORDS = re.compile(
    r"\b(lowest|smallest|least|minimum|minimi[sz]e\w*)\b|(가장|제일)\s*낮|최저|최소|낮을수록"
)
_HIGH_WORDS = re.compile(r"\b(highest|largest|maximum|maximi[sz]e\w*)\b|(가장|제일)\s*높|최대|높을수록")

_STAGE_RES = (
    # Bounded name lengths keep backtracking linear on long, space-free input.
    re.compile(r"--stage[=\s]+([\w.-]{1,40})"),
    re.compile(r"\b(?:on|in|at|for)\s+(?:the\s+)?stage\s+([\w.-]{1,40})"),
    re.compile(r"\b(?:on|in|at|for)\s+(?:the\s+)?([\w.-]{1,40})\s+stage\b"),
    re.compile(r"(?<![\w.-])([\w.-]{1,40}?)\s*단계"),
)
_NOT_STAGES = frozenset(
    {"the", "a", "this", "that", "which", "what", "each", "every", "any"}
    | {"이", "그", "어느", "어떤", "몇", "각", "다음"}
)

_RUN_NAME_RE = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9_.]*(?:-[a-z0-9_.]+)+(?![\w-])", re.IGNORECASE)
_SLACK_MARKUP_RE = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class RoutedQuestion:
    intent: str
    language: str
    project: str | None = None
    project_candidates: tuple[str, ...] = ()
    metric: str | None = None
    higher_is_better: bool | None = None  # only when the words say so; None: the usual direction
    run_names: tuple[str, ...] = ()
    stage: str | None = None
    understood: bool = True  # False: nothing matched, `intent` is the fallback "help"


def _replace_markup(match: re.Match[str]) -> str:
    body = match.group(1)
    target, _, label = body.partition("|")
    if target.startswith(("@", "!")):  # user mentions, <!here>, <!channel>, <!subteam^…>
        return " "
    return f" {label} " if label else " "  # channels and links keep their label; bare URLs go


def clean_question_text(text: str) -> str:
    """Strip chat markup (Slack's `<@U…>`, `<url|label>`), unescape entities, collapse whitespace, cap the length."""
    text = text[: MAX_TEXT_LEN * 2]
    text = _SLACK_MARKUP_RE.sub(_replace_markup, text)
    text = html.unescape(text).translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return " ".join(text.split())[:MAX_TEXT_LEN]


def _scores(text: str) -> dict[str, float]:
    return {intent: sum(w for rx, w in rules if rx.search(text)) for intent, rules in _COMPILED.items()}


def metric_from_words(text: str | None) -> str | None:
    """A metric typed in Korean ("정확도") as its stored key ("accuracy"); other text is kept as typed."""
    if not text or detect_language(text) != "ko":
        return text
    return _detect_metric(text.lower()) or text


def _detect_metric(text: str) -> str | None:
    found = [(m.start(), name) for name, rx in _METRIC_RES if (m := rx.search(text))]
    return min(found)[1] if found else None


def _detect_stage(text: str) -> str | None:
    for rx in _STAGE_RES:
        for m in rx.finditer(text):
            if m.group(1) not in _NOT_STAGES:
                return m.group(1)
    return None


def _run_names(text: str, project_names: Sequence[str]) -> tuple[str, ...]:
    """Hyphenated tokens with a letter and a digit (e.g. churn-v3-feb) that are not (typo'd) projects."""
    projects = [p.casefold() for p in project_names]
    names = []
    for tok in (t.strip(".") for t in _RUN_NAME_RE.findall(text)):
        if not (re.search(r"\d", tok) and re.search(r"[a-z]", tok, re.I)):
            continue
        if not process.extractOne(tok.casefold(), projects, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF):
            names.append(tok)
    return tuple(dict.fromkeys(names))


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text.casefold()) if w]


def _resolve_project(text: str, project_names: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """Return (project, candidates): exact name first, then fuzzy n-grams; ambiguity -> candidates."""
    exact = [
        p for p in project_names if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text, re.IGNORECASE)
    ]
    if len(exact) == 1:
        return exact[0], ()
    if len(exact) > 1:
        return None, tuple(exact)

    words = _words(text)
    grams_by_size: dict[int, dict[str, tuple[int, int]]] = {}  # size -> {n-gram: first word span}
    hits: list[tuple[float, tuple[int, int], str]] = []  # (score, word span, project)
    for project in project_names:
        target = " ".join(_words(project))
        n = len(target.split()) or 1
        for k in range(max(1, n - 1), n + 2):
            if k not in grams_by_size:
                grams = grams_by_size[k] = {}
                for i in range(len(words) - k + 1):
                    grams.setdefault(" ".join(words[i : i + k]), (i, i + k))
        spans = {g: span for k in range(max(1, n - 1), n + 2) for g, span in grams_by_size[k].items()}
        best = process.extractOne(target, list(spans), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best:
            hits.append((best[1], spans[best[0]], project))
    # A match inside a longer project's match is just its prefix ("churn-prediction" in "…-v2").
    hits = [
        h for h in hits
        if not any(o[1] != h[1] and o[1][0] <= h[1][0] and h[1][1] <= o[1][1] for o in hits)
    ]  # fmt: skip
    if not hits:
        return None, ()
    top = max(h[0] for h in hits)
    close = [h[2] for h in sorted(hits, reverse=True) if h[0] >= top - AMBIGUITY_MARGIN]
    return (close[0], ()) if len(close) == 1 else (None, tuple(close))


def route_question(
    text: str, project_names: Sequence[str], default_project: str | None = None
) -> RoutedQuestion:
    """Map a question to an intent plus the project/metric/runs/stage it mentions. Never raises."""
    project_names = [p for p in project_names if p.strip()]
    clean = clean_question_text(text if isinstance(text, str) else "")
    spaced = split_scripts(clean)
    lowered = spaced.lower()

    run_names = _run_names(spaced, project_names)
    scores = _scores(lowered)
    if len(run_names) < 2:
        scores["compare"] = 0
    intent = next((i for i in PRIORITY if scores[i] >= 1), None)

    project, candidates = _resolve_project(spaced, project_names)
    if project is None and not candidates:
        project = default_project
        if project is None and len(project_names) == 1:
            project = project_names[0]

    return RoutedQuestion(
        intent=intent or "help",
        language=detect_language(clean),
        project=project,
        project_candidates=candidates,
        metric=_detect_metric(lowered),
        higher_is_better=_stated_direction(lowered),
        run_names=run_names,
        stage=_detect_stage(lowered),
        understood=intent is not None,
    )


def _stated_direction(text: str) -> bool | None:
    if _LOW_WORDS.search(text):
        return False
    if _HIGH_WORDS.search(text):
        return True
    return None
