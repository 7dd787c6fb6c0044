"""The command grammar: the words after `/contexta` (or any surface's command line) as a `ParsedCommand`,
and the words after `digest` as an action and, for `subscribe`, its schedule.

Pure (no Slack, no database) so a command handler stays thin and every parsing rule can be
tested in isolation. Errors are `CommandError`s whose message
can be shown to the user as-is: echoed input is sanitised so it cannot ping
channels, mention people or break out of a code span.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from contexta_core import digests as schedule
from contexta_core.errors import ContextaError

MAX_TEXT_LEN = 2000
MAX_ECHO_LEN = 80

SUBCOMMANDS: tuple[str, ...] = (
    "help",
    "projects",
    "runs",
    "deployments",
    "trend",
    "best",
    "report",
    "onboard",
    "compare",
    "use",
    "digest",
    "watch",
    "unwatch",
)

# Korean and common English variants; keys are case-folded.
ALIASES: dict[str, str] = {
    "도움말": "help",
    "도움": "help",
    "프로젝트": "projects",
    "실행": "runs",
    "런": "runs",
    "배포": "deployments",
    "추세": "trend",
    "추이": "trend",
    "최고": "best",
    "리포트": "report",
    "보고서": "report",
    "온보딩": "onboard",
    "비교": "compare",
    "사용": "use",
    "다이제스트": "digest",
    "감시": "watch",
    "알림": "watch",
    "감시해제": "unwatch",
    "알림해제": "unwatch",
    "알림끄기": "unwatch",
    "project": "projects",
    "run": "runs",
    "deployment": "deployments",
    "deploys": "deployments",
}

VALUE_OPTIONS = ("--stage", "--metric", "--page")
FLAG_OPTIONS = ("--lower-is-better",)
OPTIONS = (*VALUE_OPTIONS, *FLAG_OPTIONS)
_EXAMPLES = {"--stage": "production", "--metric": "accuracy", "--page": "2"}

# (min, max) positional args after the subcommand.
ARITY: dict[str, tuple[int, int]] = {
    "help": (0, 1),
    "projects": (0, 0),
    "runs": (0, 1),
    "deployments": (0, 1),
    "report": (0, 1),
    "onboard": (0, 1),
    "use": (1, 1),
    "trend": (0, 2),
    "best": (0, 2),
    "compare": (2, 2),
    "digest": (0, 12),  # `subscribe p weekly fri 17:30 tz Europe/Berlin lang ko` is 9 words
    "watch": (0, 6),  # `watch p new-best deployments failures regressions` is 5 words
    "unwatch": (0, 1),
}

USAGE: dict[str, str] = {
    "help": "/contexta help [subcommand]",
    "projects": "/contexta projects",
    "runs": "/contexta runs [project]",
    "deployments": "/contexta deployments [project]",
    "report": "/contexta report [project]",
    "onboard": "/contexta onboard [project]",
    "use": "/contexta use <project>",
    "trend": "/contexta trend [project] [metric]",
    "best": "/contexta best [project] [metric] [--lower-is-better]",
    "compare": "/contexta compare <run-a> <run-b>",
    "digest": "/contexta digest <subscribe|list|unsubscribe|preview|run-due> [args…]",
    "watch": "/contexta watch <project> [new-best] [deployments] [failures] [regressions] [--metric M] | watch list",
    "unwatch": "/contexta unwatch <project>",
}


class CommandError(ValueError):
    """A parse error: ``code`` + ``details`` let each surface word it in the asker's language
    (catalog key ``command_error.<code>``); ``.message`` is the English wording, safe to show."""

    def __init__(
        self,
        message: str,
        suggestions: Sequence[str] = (),
        *,
        code: str = "bad_command",
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = tuple(suggestions)
        self.code = code
        self.details = details or {}


@dataclass(frozen=True)
class ParsedCommand:
    subcommand: str
    args: tuple[str, ...] = ()
    stage: str | None = None
    higher_is_better: bool | None = None  # `--lower-is-better` -> False; None: the usual direction
    metric: str | None = None
    page: int = 1


def safe_echo(text: str) -> str:
    """Neutralise user text before quoting it back inside a `code span` (no pings, no breakouts)."""
    chars = []
    for ch in text:
        if ch == "`":
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs"):  # control, zero-width, bidi, surrogates
            chars.append(" " if ch in "\t\n\r" else "")
            continue
        chars.append({"<": "‹", ">": "›"}.get(ch, ch))
    cleaned = " ".join("".join(chars).split())
    return cleaned if len(cleaned) <= MAX_ECHO_LEN else cleaned[: MAX_ECHO_LEN - 1] + "…"


def _tokenize(text: str) -> list[str]:
    """shlex rules (quotes group words), but fall back to whitespace on bad quoting."""
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    try:
        return shlex.split(text)
    except ValueError:
        return [t.strip("\"'") or t for t in text.split()]


def _normalise_dashes(token: str) -> str:
    # Slack/macOS autocorrect turns "--stage" into "—stage" or "–stage".
    return re.sub(r"^[—–]-?(?=\w)", "--", token)


def _code_list(names: Sequence[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _resolve_subcommand(word: str) -> str:
    key = word.casefold()
    if key in SUBCOMMANDS:
        return key
    if key in ALIASES:
        return ALIASES[key]
    choices = [*SUBCOMMANDS, *ALIASES]
    matches = process.extract(key, choices, scorer=fuzz.WRatio, limit=6, score_cutoff=70)
    # Drop long-tail matches far below the best one: they read as noise.
    close = [m[0] for m in matches if m[1] >= matches[0][1] - 10]
    suggestions = tuple(dict.fromkeys(ALIASES.get(c, c) for c in close))[:3]
    shown = safe_echo(word)
    if suggestions:
        options = " or ".join(f"`{s}`" for s in suggestions)
        raise CommandError(f"unknown subcommand `{shown}`; did you mean {options}?", suggestions)
    raise CommandError(f"unknown subcommand `{shown}`; valid subcommands: {_code_list(SUBCOMMANDS)}")


def _parse_page(value: str) -> int:
    if re.fullmatch(r"[0-9]{1,6}", value) and int(value) > 0:
        return int(value)
    raise CommandError(f"`--page` needs a positive whole number, got `{safe_echo(value)}`")


def parse_command(text: str) -> ParsedCommand:
    """Parse `/contexta` text; options may appear anywhere. Raises `CommandError`."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT_LEN:
        raise CommandError(f"command is too long ({len(text)} characters; the limit is {MAX_TEXT_LEN})")
    tokens = [_normalise_dashes(t) for t in _tokenize(text)]
    positional: list[str] = []
    opts: dict[str, str] = {}
    flags: set[str] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token.startswith("--") or token == "--":
            positional.append(token)
            continue
        name, has_eq, value = token.partition("=")
        name = name.lower()
        if name in FLAG_OPTIONS:
            if has_eq:
                raise CommandError(f"`{name}` is a flag and takes no value")
            flags.add(name)
        elif name in VALUE_OPTIONS:
            if not has_eq:
                if i >= len(tokens) or tokens[i].startswith("--"):
                    raise CommandError(f"`{name}` needs a value, e.g. `{name} {_EXAMPLES[name]}`")
                value = tokens[i]
                i += 1
            if not value.strip():
                raise CommandError(f"`{name}` needs a value, e.g. `{name} {_EXAMPLES[name]}`")
            opts[name] = value.strip()
        else:
            raise CommandError(f"unknown option `{safe_echo(name)}`; valid options: {_code_list(OPTIONS)}")

    subcommand = _resolve_subcommand(positional[0]) if positional else "help"
    args = tuple(positional[1:])
    low, high = ARITY[subcommand]
    if not low <= len(args) <= high:
        raise CommandError(_arity_message(subcommand, len(args), low, high))
    return ParsedCommand(
        subcommand=subcommand,
        args=args,
        stage=opts.get("--stage"),
        higher_is_better=False if "--lower-is-better" in flags else None,
        metric=opts.get("--metric"),
        page=_parse_page(opts["--page"]) if "--page" in opts else 1,
    )


def _arity_message(sub: str, got: int, low: int, high: int) -> str:
    if high == 0:
        wanted = "no arguments"
    elif low == high:
        wanted = f"exactly {low} argument{'s' if low != 1 else ''}"
    elif got > high:
        wanted = f"at most {high} argument{'s' if high != 1 else ''}"
    else:
        wanted = f"at least {low} argument{'s' if low != 1 else ''}"
    return f"`{sub}` takes {wanted} (got {got}); usage: `{USAGE[sub]}`"


def split_project_and_metric(
    args: Sequence[str], project_names: Sequence[str], default_project: str | None
) -> tuple[str | None, str | None]:
    """Interpret trend/best args as (project, metric), tolerating an omitted project."""
    by_key = {p.casefold(): p for p in project_names}
    if len(args) >= 2:
        first, second = args[0], args[1]
        if first.casefold() not in by_key and second.casefold() in by_key:
            first, second = second, first  # "best f1 churn-prediction"
        return by_key.get(first.casefold(), first), second
    if len(args) == 1:
        arg = args[0]
        if arg.casefold() in by_key:
            return by_key[arg.casefold()], None
        if default_project:
            return default_project, arg
        return arg, None
    return default_project, None


# -- `digest <action> …` ----------------------------------------------------------------------

DIGEST_ACTIONS: dict[str, str] = {
    "subscribe": "subscribe",
    "sub": "subscribe",
    "구독": "subscribe",
    "list": "list",
    "ls": "list",
    "목록": "list",
    "unsubscribe": "unsubscribe",
    "unsub": "unsubscribe",
    "구독취소": "unsubscribe",
    "해지": "unsubscribe",
    "preview": "preview",
    "미리보기": "preview",
    "run-due": "run-due",
    "help": "help",
    "도움말": "help",
}
ALL_WORDS = frozenset({"all", "전체", "--all"})  # `digest list all`, `digest unsubscribe all`
SUBSCRIBE_USAGE = "/contexta digest subscribe [project] [weekly <day> <HH:MM>] [tz <zone>] [lang en|ko]"
_WEEKLY = {"weekly", "every", "매주"}
_ZONE = {"tz", "timezone", "zone", "시간대"}
_LANG = {"lang", "language", "언어"}
_AT = {"at"}


def parse_digest_action(words: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The digest action (`subscribe`, `list`, `unsubscribe`, `preview`, `run-due`, `help`; Korean
    and short aliases too) and the words after it. No words is `help`. Raises `CommandError`."""
    words = [word for word in words if word.strip()]
    if not words:
        return "help", ()
    action = DIGEST_ACTIONS.get(words[0].casefold())
    if action is None:
        options = _code_list(("subscribe", "list", "unsubscribe", "preview"))
        raise CommandError(f"unknown digest action `{safe_echo(words[0][:40])}`; use one of {options}")
    return action, tuple(words[1:])


@dataclass(frozen=True)
class SubscribeArgs:
    """What `digest subscribe` said; None where it said nothing (the handler picks the default)."""

    project: str | None = None
    weekday: str | None = None
    time_of_day: str | None = None
    timezone: str | None = None
    language: str | None = None


def parse_subscribe_args(words: Sequence[str], project_names: Sequence[str] = ()) -> SubscribeArgs:
    """Keywords in any order; a bare weekday or time is taken as such unless it names a project.

    Bad days, times, zones and languages raise the core's schedule errors (with the closest
    names); a second project-like word raises `CommandError`."""
    known = {name.casefold() for name in project_names}
    found: dict[str, str] = {}
    queue = list(words)
    while queue:
        word = queue.pop(0)
        key = word.casefold()
        if key in known and "project" not in found:
            found["project"] = word
        elif key in _WEEKLY:
            if not queue:
                raise schedule.DigestScheduleError(
                    f"`{word}` needs a day and a time, e.g. `weekly mon 09:00`"
                )
            found["weekday"] = schedule.parse_weekday(queue.pop(0))
            if queue and _looks_like_time(queue[0]):
                found["time_of_day"] = schedule.parse_time_of_day(queue.pop(0))
        elif key in _ZONE:
            if not queue:
                raise schedule.UnknownTimezoneError(f"`{word}` needs a zone, e.g. `tz Europe/Berlin`")
            found["timezone"] = schedule.parse_timezone(queue.pop(0))
        elif key in _LANG:
            if not queue:
                raise schedule.DigestScheduleError(f"`{word}` needs `en` or `ko`")
            found["language"] = schedule.parse_language(queue.pop(0))
        elif key in _AT:
            if not queue:
                raise schedule.DigestScheduleError("`at` needs a time, e.g. `at 09:00`")
            found["time_of_day"] = schedule.parse_time_of_day(queue.pop(0))
        elif _is_weekday(word):
            found["weekday"] = schedule.parse_weekday(word)
        elif _looks_like_time(word):
            found["time_of_day"] = schedule.parse_time_of_day(word)
        elif "project" not in found:
            found["project"] = word
        else:
            raise CommandError(
                f"unexpected `{safe_echo(word[:40])}` (the project is `{safe_echo(found['project'][:40])}`); "
                f"usage: `{SUBSCRIBE_USAGE}`"
            )
    return SubscribeArgs(**found)


def _is_weekday(word: str) -> bool:
    try:
        schedule.parse_weekday(word)
    except ContextaError:
        return False
    return True


def _looks_like_time(word: str) -> bool:
    stripped = word.strip().lower()
    return bool(stripped) and stripped[0].isdigit() and (":" in stripped or stripped.endswith(("am", "pm")))


# -- `watch …` / `unwatch …` -------------------------------------------------------------------

WATCH_LIST_WORDS = frozenset({"list", "ls", "목록", "--list"})
# The kinds of change a watch tells about (``contexta_core.alerts.watches.KINDS``), with the words
# people use for them in either language; "all" is every kind.
WATCH_KIND_WORDS: dict[str, str] = {
    "new-best": "new-best",
    "newbest": "new-best",
    "new_best": "new-best",
    "best": "new-best",
    "records": "new-best",
    "최고": "new-best",
    "신기록": "new-best",
    "최고기록": "new-best",
    "deployments": "deployments",
    "deployment": "deployments",
    "deploys": "deployments",
    "deploy": "deployments",
    "배포": "deployments",
    "failures": "failures",
    "failure": "failures",
    "failed": "failures",
    "fails": "failures",
    "실패": "failures",
    "regressions": "regressions",
    "regression": "regressions",
    "회귀": "regressions",
    "성능저하": "regressions",
}
WATCH_KINDS = ("new-best", "deployments", "failures", "regressions")
WATCH_OPTIONS = frozenset({"metric"})  # of the command options, the ones `watch` takes


@dataclass(frozen=True)
class WatchArgs:
    """What `watch` said: `list`, or a project (None: the channel's) and the kinds (None: the default)."""

    action: str  # watch | list
    project: str | None = None
    kinds: tuple[str, ...] | None = None


def parse_watch_args(parsed: ParsedCommand) -> WatchArgs:
    """`watch list`, or `watch [project] [kind…]` in any order after the project. Raises `CommandError`."""
    if parsed.stage is not None or parsed.higher_is_better is not None or parsed.page != 1:
        raise CommandError(
            f"`watch` takes only `--metric`; usage: `{USAGE['watch']}`",
            code="watch_option",
            details={"usage": USAGE["watch"]},
        )
    words = [w for w in parsed.args if w.strip()]
    if words and words[0].casefold() in WATCH_LIST_WORDS:
        if len(words) > 1 or parsed.metric is not None:
            raise CommandError(
                "`watch list` takes nothing more", code="watch_list_extra", details={"usage": USAGE["watch"]}
            )
        return WatchArgs("list")
    project = None
    if words and _watch_kind(words[0]) is None:
        project, words = words[0], words[1:]
    kinds: list[str] = []
    for word in words:
        found = _watch_kind(word)
        if found is None:
            known = [*WATCH_KINDS, "all"]
            close = process.extract(word.casefold(), [*WATCH_KIND_WORDS, "all"], scorer=fuzz.WRatio, limit=3)
            suggestions = tuple(
                dict.fromkeys(WATCH_KIND_WORDS.get(c, c) for c, score, _ in close if score >= 70)
            )
            raise CommandError(
                f"unknown alert kind `{safe_echo(word[:40])}`; use {_code_list(known)}",
                suggestions,
                code="watch_unknown_kind",
                details={"kind": safe_echo(word[:40]), "allowed": known},
            )
        kinds.extend(found)
    return WatchArgs("watch", project, tuple(k for k in WATCH_KINDS if k in kinds) if kinds else None)


def _watch_kind(word: str) -> tuple[str, ...] | None:
    key = word.casefold().strip(",")
    if key in ALL_WORDS:
        return WATCH_KINDS
    found = WATCH_KIND_WORDS.get(key)
    return (found,) if found else None
