"""Route a free-text question (DM or @mention, English or Korean) to an intent and what it names.

Pure (no Slack, no database): the workspace's names come in as a ``Vocabulary`` (or a list of
project names), the previous question of the conversation as ``previous``, and the semantic
fallback as a ``classify`` callable, so routing can be tested exhaustively.

1. **Names first.** Projects, runs, deployments, metrics and stages are found from the
   workspace's own vocabulary (typos, case, separators, distinctive words, Korean particles: see
   ``vocabulary``), then masked, so a project called "report-generator" is not a report request.
2. **Rules.** Mistyped cue words are corrected (``typos``), then every intent has regex rules with
   weights. An intent *matches* when its weights sum to >= 1 (weak cues of 0.5 need a second cue).
   When several match, the most specific wins, in `PRIORITY` order:
   news > compare > best > deployments > trend > report > runs > onboard > projects > help.
   `compare` only counts when the text names at least two runs; `news` ("what changed since I
   last asked?") yields to a strong trend cue unless its own cue is strong too.
3. **Follow-ups.** A question that leaves out its project, metric or intent takes them from
   ``previous`` ("and on f1?", "what about fraud-detection?", "그럼 배포된 건?").
4. **Semantic fallback.** Still no intent: ``classify`` (nearest labelled examples by sentence
   embedding, ``semantic``) places the question when it is confident.
5. **Still unplaced.** Small talk is `off_topic` (never answered with data); anything else is not
   `understood` and carries its two likeliest `readings` for the surface to offer as buttons.
   ``intent`` is then the fallback "help".

A direction is reported only when the words say one ("lowest loss", "가장 높은 f1"); otherwise
`higher_is_better` is None and `contexta_core.direction` decides from the project and metric name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..language import detect_language, split_scripts
from ..queries.names import ProjectNames, WorkspaceNames
from .typos import correct_typos
from .vocabulary import ABBREVIATION, FUZZY, NameMatch, Vocabulary

MAX_TEXT_LEN = 2000
AMBIGUITY_MARGIN = 3  # project match scores this close are the same reading: ask which
PRIORITY = (
    "news",
    "compare",
    "best",
    "deployments",
    "trend",
    "report",
    "runs",
    "onboard",
    "projects",
    "help",
)
SEMANTIC_MIN_SCORE = 0.86  # cosine of the nearest labelled example, below which a guess is not taken
SEMANTIC_MIN_MARGIN = 0.01  # ... and by how much it must lead the next intent
Classify = Callable[[str], list[tuple[str, float]]]  # text -> (intent, score), best first

Rule = tuple[str, float]

# Patterns run on lower-cased text where Latin and Hangul runs are split by a space,
# so English keywords glued to Korean particles ("best를") still hit `\b`.
RULES: dict[str, tuple[Rule, ...]] = {
    "news": (
        (r"\bwhat'?s new\b|\bwhat is new\b|\bwhats new\b|\banything new\b|\bnews\b|\bnew since\b", 2),
        (r"\bsince (i|we) (last )?(asked|checked|looked|visited|was here|were here|came|logged|left)\b", 2),
        (
            r"\bsince (my|our|the|your) (last|previous) (visit|time|check|question|look)\b|\bsince last time\b",
            2,
        ),
        (
            r"\bwhat (did i|have i|i) miss(ed)?\b|\bwhat'?s happened\b|\bwhat happened (since|while|lately)\b",
            2,
        ),
        (r"\b(any )?(updates?|changes) (since|on|in|for)\b|\bwhat'?s the latest\b|\bfill me in\b", 2),
        (r"\bwhat('?s| has| have)? changed\b", 1.5),
        (r"\b(new|recent|latest) (runs?|deployments?|deploys?|failures?|bests?)\b.*\bsince\b", 2),
        (r"\bsince (yesterday|monday|tuesday|wednesday|thursday|friday|last week)\b", 1),
        (r"\blately\b|\brecently\b", 0.5),
        (r"(뭐|뭔가|무엇이?|어떤\s*게|뭐가)\s*(바뀌|바꼈|달라졌|변했|변경|새로)", 2),
        (
            r"바뀐\s*(거|것|게|점|부분)|달라진\s*(거|것|게|점)|새로\s*(생긴|나온|올라온|추가된|들어온|돌린|된)",
            2,
        ),
        (r"새로운\s*(거|것|게|소식|실행|배포|변화|내용)|새\s*소식|소식|뉴스|업데이트|변경\s*사항|놓친", 2),
        (r"지난\s*번?\s*(이후|이래|뒤|다음|에\s*물어|에\s*본|확인)|마지막으로\s*(물어|확인|본|봤)", 1.5),
        (r"그\s*동안|그새|요즘|최근에", 0.5),
    ),
    "compare": (
        (r"\b(compare|comparing|comparison|vs\.?|versus|diff|difference|against)\b", 2),
        (r"비교|차이|대비", 2),
        (r"\b(better|worse)\b|나아|나은|낫", 1),
        (r"달라|다르|다른\s*점|보다\s|\bor\b", 1),
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
        (r"\b(improv\w*|regress\w*|degrad\w*|progress\w*|plateau\w*)\b", 2),
        (r"\b(get|gets|got|getting|gone|went|going) (better|worse)\b", 2),
        (r"\bmov(e|ed|es|ing)\b", 1),
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
        (r"목록|리스트", 0.5),
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
        (r"(전체|큰)\s*그림|한눈에", 2),
    ),
    "projects": (
        (r"\bprojects\b", 2),
        (r"\b(which|what|list|show|how many|any|other|all)\b.{0,20}\bprojects?\b", 2),
        (r"프로젝트\s*(들)?\s*(이|가|은|는|도)?\s*(목록|리스트|뭐|몇|어떤|어느|있)", 2),
        (r"(어떤|무슨|다른|전체|모든|물어볼\s*수\s*있는)\s*(프로젝트|projects?)", 2),
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


_SMALL_TALK = re.compile(
    r"^\W*(hi+|hello|hey|hiya|yo|sup|thanks?|thank you|thx|ty|ok(ay)?|cool|nice|great|lol|haha\w*|bye|"
    r"good (morning|night|evening|afternoon)|see you|brb|test(ing)?|never ?mind|got it)\b"
    r"|안녕|반가|고마|감사|ㅋㅋ|ㅎㅎ|ㅎㅇ|ㄱㅅ|ㅇㅋ|수고|좋은 아침|잘 자|오케이|알겠|내일 봐|배고|점심|날씨|퇴근|주말"
)
_FOLLOW_UP = re.compile(
    r"^\W*(and|also|then|so|what about|how about|what of|same for|and for|now|ok so)\b"
    r"|^\W*(그럼|그러면|그리고|그건|그거|이번엔|저건|또)|(은|는)\s*\??\s*$|\bthen\W*$"
)
_RUN_WORDS = re.compile(r"\b(runs?|experiments?|trainings?)\b|실행|실험|런\b|학습")
_METRIC_INTENTS = frozenset({"best", "trend", "onboard", "report", "deployments"})


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
    understood: bool = True  # False: nothing placed it, `intent` is the fallback "help"
    off_topic: bool = False  # small talk: answered without data
    readings: tuple[str, ...] = ()  # not understood: the two likeliest intents, likeliest first
    follow_up: bool = False  # took something the words left out from the previous question
    via: str = "rules"  # rules | semantic | context | none


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


def _vocabulary(names: Vocabulary | Sequence[str]) -> Vocabulary:
    if isinstance(names, Vocabulary):
        return names
    return Vocabulary(WorkspaceNames(tuple(ProjectNames(p) for p in dict.fromkeys(names) if p and p.strip())))


def _run_names(text: str, vocabulary: Vocabulary, taken: list[NameMatch]) -> list[NameMatch]:
    """Stored runs and deployments named in the text, plus hyphenated tokens with a letter and a
    digit (e.g. churn-v3-feb) that are not names of something else: older runs the vocabulary does
    not hold are still compared by the names typed."""
    found = [m for m in vocabulary.find_runs(text) if not _overlaps(m, taken)]
    for m in _RUN_NAME_RE.finditer(text):
        token = m.group().strip(".")
        if not (re.search(r"\d", token) and re.search(r"[a-z]", token, re.I)):
            continue
        guess = NameMatch(token, "run", ABBREVIATION, m.start(), m.start() + len(token))
        if _detect_metric(token.lower()) or vocabulary.find_metric(token):
            continue  # "f1-score" is a metric
        if not _overlaps(guess, found + taken):
            found.append(guess)
    return sorted(found, key=lambda m: m.start)


def _overlaps(match: NameMatch, others: list[NameMatch]) -> bool:
    return any(o.start < match.end and match.start < o.end for o in others)


RULE_MASKS = {"project": "zzproject", "run": "zzrun", "deployment": "zzrun", "metric": "zzmetric"}
SEMANTIC_MASKS = {"project": "project", "run": "run", "deployment": "run", "metric": "metric"}


def _masked(text: str, matches: list[NameMatch], masks: dict[str, str]) -> str:
    """The text with names replaced by a word for what they are: neutral for the rules (a project
    called "report-generator" is no report request), plain words for the semantic fallback."""
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        text = f"{text[: m.start]} {masks.get(m.kind, m.kind)} {text[m.end :]}"
    return " ".join(text.split())


def _resolve_project(found: list[NameMatch]) -> tuple[str | None, tuple[str, ...]]:
    """(project, candidates): the one best-scoring project, or the close ones to choose from."""
    if not found:
        return None, ()
    top = found[0].score
    close = [m.name for m in found if m.score >= top - AMBIGUITY_MARGIN]
    return (close[0], ()) if len(close) == 1 else (None, tuple(dict.fromkeys(close)))


def _stage(lowered: str, vocabulary: Vocabulary, project: str | None) -> str | None:
    """The stage the words name, as stored when it is a (mistyped) stored stage."""
    typed = _detect_stage(lowered)
    if typed is None:
        return None
    stored = vocabulary.find_stage(typed, project) or vocabulary.find_stage(typed)
    return stored.name if stored else typed


def _rule_intent(masked: str, run_count: int) -> tuple[str | None, dict[str, float]]:
    scores = _scores(masked)
    if run_count < 2:
        scores["compare"] = 0
    if scores["projects"] >= 2 and not _RUN_WORDS.search(masked):
        scores["runs"] = 0  # "프로젝트 몇 개야?" counts projects, not runs
    if scores["help"] >= 2:  # "how do I use …", "명령어 목록": asking about the bot, unless strongly more
        for weaker in ("runs", "onboard", "projects"):
            scores[weaker] = scores[weaker] if scores[weaker] >= 2 else 0
    if scores["news"] < 2 and any(v >= 1 for i, v in scores.items() if i != "news"):
        scores["news"] = (
            0  # weak cues yield: "what changed over time?" is a trend, "recently deployed?" deployments
        )
    intent = next((i for i in PRIORITY if scores[i] >= 1), None)
    if intent is None and run_count >= 2:
        intent = "compare"  # two runs named and nothing else asked: how they differ
    return intent, scores


def _likeliest(scores: dict[str, float], metric: str | None, has_project: bool) -> tuple[str, ...]:
    """Two readings of a question nothing placed: its strongest partial cues (rules, then the
    semantic scores), else what its names suggest (a metric: best or trend; a project: onboard or
    runs); none when nothing at all points anywhere."""
    partial = sorted((i for i in PRIORITY if i != "help" and scores.get(i, 0) > 0), key=lambda i: -scores[i])
    fallback = ("best", "trend") if metric else ("onboard", "runs") if has_project else ()
    return tuple(dict.fromkeys([*partial, *fallback]))[:2]


def _names_in(clean: str, vocabulary: Vocabulary) -> tuple[str, list[NameMatch], list[NameMatch]]:
    """(text with cue typos corrected, projects named, runs named) of a cleaned question."""
    corrected = correct_typos(split_scripts(clean), vocabulary.words)
    projects = vocabulary.find_projects(corrected)
    whole = [m for m in projects if m.score >= FUZZY - 3]  # the name itself, maybe mistyped
    runs = _run_names(corrected, vocabulary, whole)
    by_word = [m for m in projects if m not in whole and not _overlaps(m, runs)]  # fraud-v2-jan is a run
    return corrected, whole + [m for m in by_word if m.score > ABBREVIATION or len(by_word) == 1], runs


def semantic_text(text: str, project_names: Vocabulary | Sequence[str]) -> str:
    """What the semantic fallback is given for ``text``: cleaned, cue typos corrected, names of
    projects and runs replaced by plain words (the examples it is matched against are made so too)."""
    vocabulary = _vocabulary(project_names)
    corrected, projects, runs = _names_in(clean_question_text(text), vocabulary)
    return _masked(corrected, [*projects, *runs], SEMANTIC_MASKS)


def route_question(
    text: str,
    project_names: Vocabulary | Sequence[str],
    default_project: str | None = None,
    *,
    previous: RoutedQuestion | None = None,
    classify: Classify | None = None,
) -> RoutedQuestion:
    """Map a question to an intent plus the project/metric/runs/stage it names. Never raises."""
    vocabulary = _vocabulary(project_names)
    clean = clean_question_text(text if isinstance(text, str) else "")
    language = detect_language(clean)
    corrected, project_matches, runs = _names_in(clean, vocabulary)
    project, candidates = _resolve_project(project_matches)
    if project is None and not candidates:
        run_projects = {m.project for m in runs if m.project}
        if len(run_projects) == 1:
            project = run_projects.pop()
    metric_match = vocabulary.find_metric(corrected, project)
    if metric_match and _overlaps(metric_match, project_matches + runs):
        metric_match = None
    lowered = corrected.lower()
    names = [*project_matches, *runs, *([metric_match] if metric_match else [])]
    masked = _masked(corrected, names, RULE_MASKS).lower()
    metric = metric_match.name if metric_match else _detect_metric(masked)
    stage = _stage(lowered, vocabulary, project)
    named_something = bool(project_matches or runs or metric or stage)

    intent, scores = _rule_intent(masked, len(runs))
    via = "rules" if intent else "none"
    follow_up = False
    cue = bool(_FOLLOW_UP.search(lowered))
    if previous is not None and previous.understood and not previous.off_topic:
        # before the semantic fallback: "and on f1?" is the previous question again, not a new one
        implied = default_project or (vocabulary.projects[0] if len(vocabulary.projects) == 1 else None)
        intent, project, metric, stage, follow_up = _follow_up(
            previous,
            intent,
            project,
            candidates,
            metric,
            stage,
            cue,
            named_something,
            implied,
            vocabulary.recorded,
        )
        via = "context" if follow_up and via == "none" else via
    if intent is None and classify is not None and 0 < len(clean) <= 300:
        ranked = classify(_masked(corrected, [*project_matches, *runs], SEMANTIC_MASKS))
        if not scores["news"]:  # "what's new" is relative to a moment: without any cue of one it is not news
            ranked = [(i, s) for i, s in ranked if i != "news"]
        if ranked:
            (top, score), runner = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
            if score >= SEMANTIC_MIN_SCORE and score - runner >= SEMANTIC_MIN_MARGIN and top != "compare":
                intent, via = top, "semantic"
            elif top == "off_topic" and not named_something:
                intent, via = "off_topic", "semantic"
            scores = {**scores, **{i: s for i, s in ranked if scores.get(i, 0) == 0 and i in PRIORITY}}
    if intent is None and not named_something and _SMALL_TALK.search(lowered):
        intent = "off_topic"

    named_project = project is not None
    if project is None and not candidates:
        project = default_project
        if project is None and len(vocabulary.projects) == 1:
            project = vocabulary.projects[0]

    understood = intent is not None and intent != "off_topic"
    return RoutedQuestion(
        intent=intent if understood else "help",
        language=language,
        project=project,
        project_candidates=candidates,
        metric=metric,
        higher_is_better=_stated_direction(lowered),
        run_names=tuple(dict.fromkeys(m.name for m in runs)),
        stage=stage,
        understood=understood,
        off_topic=intent == "off_topic",
        readings=() if intent else _likeliest(scores, metric, named_project),
        follow_up=follow_up,
        via=via,
    )


def _follow_up(
    previous: RoutedQuestion,
    intent: str | None,
    project: str | None,
    candidates: tuple[str, ...],
    metric: str | None,
    stage: str | None,
    cue: bool,
    named_something: bool,
    implied: str | None,
    recorded: frozenset[tuple[str, str]],
) -> tuple[str | None, str | None, str | None, str | None, bool]:
    """What a question leaves out, from the previous one: its intent when it has none of its own
    and reads as a follow-up (a cue word — "and", "what about", "그럼" — or only names: "and on f1?"),
    its project ("그럼 배포된 건?"), and, for a follow-up in the same project, its metric.
    ``implied`` is the project the question would get anyway (the channel default, the only one);
    ``recorded`` the (project, metric) pairs the workspace has."""
    took = False
    if intent is None and (cue or named_something):
        intent, took = previous.intent, True
    if intent not in PRIORITY or intent in ("help", "projects", "compare"):
        return intent, project, metric, stage, took
    if project is None and not candidates and previous.project:
        project, took = previous.project, took or previous.project != implied
    follows = took or cue
    same_question = follows and metric is None and previous.metric and intent in _METRIC_INTENTS
    if same_question and (project == previous.project or (project, previous.metric) in recorded):
        metric, took = (
            previous.metric,
            True,
        )  # "what about fraud-detection?": by the same metric, if it has it
        stage = stage or (previous.stage if project == previous.project else None)
    return intent, project, metric, stage, took


def _stated_direction(text: str) -> bool | None:
    if _LOW_WORDS.search(text):
        return False
    if _HIGH_WORDS.search(text):
        return True
    return None
