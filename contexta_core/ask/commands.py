"""The command grammar: the words after `/contexta` (or any surface's command line) as a `ParsedCommand`,
and the words after `digest` as an action and, for `subscribe`, its schedule.

Pure (no Slack, no database) so a command handler stays thin and every parsing rule can be
tested in isolation. Errors are `CommandError`s with a specific ``code`` and the ``details``
that fill its sentence (``command_error.<code>`` in the bot's catalog, so a Korean asker reads
Korean); ``.message`` is the English wording for the terminal. Echoed input is sanitised
(`safe_echo`) before it goes into either, so it cannot ping channels, mention people or break
out of a code span.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    "news",
    "watch",
    "unwatch",
    "access",
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
    "접근": "access",
    "권한": "access",
    "뉴스": "news",
    "새소식": "news",
    "소식": "news",
    "변경": "news",
    "변경사항": "news",
    "whatsnew": "news",
    "what's-new": "news",
    "changes": "news",
    "updates": "news",
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
    "news": (0, 1),
    "digest": (0, 12),  # `subscribe p weekly fri 17:30 tz Europe/Berlin lang ko` is 9 words
    "access": (0, 2 + 2 * 50),  # `restrict p` and up to 50 channels and 50 user groups
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
    "access": "/contexta access <restrict|open|show> [project] [#channel …] [@usergroup …]",
    "news": "/contexta news [project]",
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
        raise CommandError(
            f"unknown subcommand `{shown}`; did you mean {options}?",
            suggestions,
            code="unknown_subcommand",
            details={"word": shown, "suggestions": list(suggestions)},
        )
    raise CommandError(
        f"unknown subcommand `{shown}`; valid subcommands: {_code_list(SUBCOMMANDS)}",
        code="unknown_subcommand_no_match",
        details={"word": shown, "valid": list(SUBCOMMANDS)},
    )


def _parse_page(value: str) -> int:
    if re.fullmatch(r"[0-9]{1,6}", value) and int(value) > 0:
        return int(value)
    shown = safe_echo(value)
    raise CommandError(
        f"`--page` needs a positive whole number, got `{shown}`", code="bad_page", details={"value": shown}
    )


def parse_command(text: str) -> ParsedCommand:
    """Parse `/contexta` text; options may appear anywhere. Raises `CommandError`."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT_LEN:
        raise CommandError(
            f"command is too long ({len(text)} characters; the limit is {MAX_TEXT_LEN})",
            code="too_long",
            details={"length": len(text), "limit": MAX_TEXT_LEN},
        )
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
                raise CommandError(
                    f"`{name}` is a flag and takes no value",
                    code="flag_takes_no_value",
                    details={"option": name},
                )
            flags.add(name)
        elif name in VALUE_OPTIONS:
            if not has_eq:
                if i >= len(tokens) or tokens[i].startswith("--"):
                    raise _needs_value(name)
                value = tokens[i]
                i += 1
            if not value.strip():
                raise _needs_value(name)
            opts[name] = value.strip()
        else:
            shown = safe_echo(name)
            raise CommandError(
                f"unknown option `{shown}`; valid options: {_code_list(OPTIONS)}",
                code="unknown_option",
                details={"option": shown, "valid": list(OPTIONS)},
            )

    subcommand = _resolve_subcommand(positional[0]) if positional else "help"
    args = tuple(positional[1:])
    low, high = ARITY[subcommand]
    if not low <= len(args) <= high:
        raise _arity_error(subcommand, len(args), low, high)
    return ParsedCommand(
        subcommand=subcommand,
        args=args,
        stage=opts.get("--stage"),
        higher_is_better=False if "--lower-is-better" in flags else None,
        metric=opts.get("--metric"),
        page=_parse_page(opts["--page"]) if "--page" in opts else 1,
    )


def _needs_value(name: str) -> CommandError:
    example = f"{name} {_EXAMPLES[name]}"
    return CommandError(
        f"`{name}` needs a value, e.g. `{example}`",
        code="option_needs_value",
        details={"option": name, "example": example},
    )


def _arity_error(sub: str, got: int, low: int, high: int) -> CommandError:
    """One code per way of being wrong (none allowed, exactly, at most, at least): each its own sentence."""
    usage = USAGE[sub]
    details = {"subcommand": sub, "got": got, "usage": usage}
    tail = f"(got {got}); usage: `{usage}`"
    if high == 0:
        return CommandError(f"`{sub}` takes no arguments {tail}", code="takes_no_arguments", details=details)
    if low == high:
        return CommandError(
            f"`{sub}` takes exactly {_arguments(low)} {tail}",
            code="takes_exactly",
            details={**details, "count": low},
        )
    if got > high:
        return CommandError(
            f"`{sub}` takes at most {_arguments(high)} {tail}",
            code="takes_at_most",
            details={**details, "count": high},
        )
    return CommandError(
        f"`{sub}` takes at least {_arguments(low)} {tail}",
        code="takes_at_least",
        details={**details, "count": low},
    )


def _arguments(count: int) -> str:
    return f"{count} argument{'s' if count != 1 else ''}"


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
        valid = ["subscribe", "list", "unsubscribe", "preview"]
        shown = safe_echo(words[0][:40])
        raise CommandError(
            f"unknown digest action `{shown}`; use one of {_code_list(valid)}",
            code="unknown_digest_action",
            details={"action": shown, "valid": valid},
        )
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
                example = f"{word} mon 09:00"
                raise schedule.DigestScheduleError(
                    f"`{word}` needs a day and a time, e.g. `{example}`",
                    code="weekly_needs_day_and_time",
                    details={"word": word, "example": example},
                )
            found["weekday"] = schedule.parse_weekday(queue.pop(0))
            if queue and _looks_like_time(queue[0]):
                found["time_of_day"] = schedule.parse_time_of_day(queue.pop(0))
        elif key in _ZONE:
            if not queue:
                example = f"{word} Europe/Berlin"
                raise schedule.UnknownTimezoneError(
                    f"`{word}` needs a zone, e.g. `{example}`",
                    code="zone_needs_value",
                    details={"word": word, "example": example},
                )
            found["timezone"] = schedule.parse_timezone(queue.pop(0))
        elif key in _LANG:
            if not queue:
                raise schedule.DigestScheduleError(
                    f"`{word}` needs `en` or `ko`", code="language_needs_value", details={"word": word}
                )
            found["language"] = schedule.parse_language(queue.pop(0))
        elif key in _AT:
            if not queue:
                example = f"{word} 09:00"
                raise schedule.DigestScheduleError(
                    f"`{word}` needs a time, e.g. `{example}`",
                    code="at_needs_time",
                    details={"word": word, "example": example},
                )
            found["time_of_day"] = schedule.parse_time_of_day(queue.pop(0))
        elif _is_weekday(word):
            found["weekday"] = schedule.parse_weekday(word)
        elif _looks_like_time(word):
            found["time_of_day"] = schedule.parse_time_of_day(word)
        elif "project" not in found:
            found["project"] = word
        else:
            shown, project = safe_echo(word[:40]), safe_echo(found["project"][:40])
            raise CommandError(
                f"unexpected `{shown}` (the project is `{project}`); usage: `{SUBSCRIBE_USAGE}`",
                code="second_project",
                details={"word": shown, "project": project, "usage": SUBSCRIBE_USAGE},
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


# -- `--since` (what's new since a moment) ----------------------------------------------------

_SINCE_UNITS = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes", "분": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours", "시간": "hours",
    "d": "days", "day": "days", "days": "days", "일": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks", "주": "weeks",
}  # fmt: skip
_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([a-z]+|분|시간|일|주)\s*(ago|전)?\s*$")
_DAYS_BACK = {"today": 0, "오늘": 0, "yesterday": 1, "어제": 1}
SINCE_EXAMPLES = ("3d", "12h", "yesterday", "2026-03-01", "2026-03-01 14:00")


def parse_since(text: str, *, now: datetime | None = None, zone: str = "UTC") -> datetime:
    """The moment ``--since`` names: a span back from now (`3d`, `12h`, `2w`, `90m`, `3일`), a day
    (`today`, `yesterday`, `어제`, `2026-03-01`: its start) or a date and time (`2026-03-01 14:00`,
    ISO 8601), read on the clock of ``zone`` unless it carries its own offset. Raises `CommandError`."""
    import zoneinfo

    now = now or datetime.now(UTC)
    tz = zoneinfo.ZoneInfo(zone)
    typed = (text or "").strip()
    key = typed.casefold()
    moment: datetime | None = None
    if key in _DAYS_BACK:
        day = now.astimezone(tz).date() - timedelta(days=_DAYS_BACK[key])
        moment = datetime(day.year, day.month, day.day, tzinfo=tz)
    elif match := _RELATIVE.match(key):
        unit = _SINCE_UNITS.get(match.group(2))
        if unit is not None:
            moment = now - timedelta(**{unit: int(match.group(1))})
    else:
        try:
            parsed = datetime.fromisoformat(typed.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    if moment is None:
        raise CommandError(
            f"`--since` takes a span or a moment, e.g. {_code_list(SINCE_EXAMPLES)}; got `{safe_echo(typed)}`",
            code="bad_since",
            details={"value": safe_echo(typed), "examples": list(SINCE_EXAMPLES)},
        )
    if moment > now:
        raise CommandError(
            f"`--since` `{safe_echo(typed)}` is in the future",
            code="since_in_future",
            details={"value": safe_echo(typed)},
        )
    return moment.astimezone(UTC)


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
                f"`watch list` takes nothing more; usage: `{USAGE['watch']}`",
                code="watch_list_extra",
                details={"usage": USAGE["watch"]},
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


# -- `access <action> …` ----------------------------------------------------------------------

ACCESS_ACTIONS: dict[str, str] = {
    "restrict": "restrict",
    "limit": "restrict",
    "제한": "restrict",
    "open": "open",
    "unrestrict": "open",
    "공개": "open",
    "show": "show",
    "list": "show",
    "보기": "show",
    "확인": "show",
    "help": "help",
    "도움말": "help",
}
ACCESS_USAGE = {
    "restrict": "/contexta access restrict <project> #channel … [@usergroup …]",
    "open": "/contexta access open <project>",
    "show": "/contexta access show [project]",
}
# What Slack sends for a mentioned channel (`<#C123|name>`, `<#C123>` when it leaves the name out)
# and user group (`<!subteam^S123|@name>`) once the command escapes its text; `#name` and `@name`
# are what people type (or paste) without escaping, resolved by name.
_CHANNEL_MENTION = re.compile(r"<#([A-Z0-9]{2,64})(?:\|([^>]*))?>")
_USERGROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9]{2,64})(?:\|@?([^>]*))?>")
_CHANNEL_NAME = re.compile(r"#([^\s#<>@]{1,80})")
_USERGROUP_NAME = re.compile(r"@([^\s#<>@]{1,80})")


@dataclass(frozen=True)
class AccessTarget:
    """A channel or user group as typed: its id when Slack sent a mention, else only its name."""

    kind: str  # channel | usergroup
    id: str | None = None
    name: str | None = None

    @property
    def shown(self) -> str:
        return ("#" if self.kind == "channel" else "@") + (self.name or self.id or "")


@dataclass(frozen=True)
class AccessCommand:
    action: str  # restrict | open | show | help
    project: str | None = None
    channels: tuple[AccessTarget, ...] = ()
    usergroups: tuple[AccessTarget, ...] = ()


def parse_access_target(word: str) -> AccessTarget | None:
    """A channel or user group mention (or ``#name`` / ``@name``); None for any other word."""
    if match := _CHANNEL_MENTION.fullmatch(word):
        return AccessTarget("channel", match.group(1), (match.group(2) or "").strip() or None)
    if match := _USERGROUP_MENTION.fullmatch(word):
        return AccessTarget("usergroup", match.group(1), (match.group(2) or "").strip() or None)
    if match := _CHANNEL_NAME.fullmatch(word):
        return AccessTarget("channel", None, match.group(1).casefold())
    if match := _USERGROUP_NAME.fullmatch(word):
        return AccessTarget("usergroup", None, match.group(1).casefold())
    return None


def parse_access_command(words: Sequence[str]) -> AccessCommand:
    """``restrict <project> #channel … [@group …]``, ``open <project>``, ``show [project]``
    (Korean and short action names too). Raises ``CommandError`` naming what is wrong."""
    words = [word for word in words if word.strip()]
    if not words:
        return AccessCommand("help")
    action = ACCESS_ACTIONS.get(words[0].casefold())
    if action is None:
        shown = safe_echo(words[0][:40])
        raise CommandError(
            f"unknown access action `{shown}`; use one of {_code_list(('restrict', 'open', 'show'))}",
            code="access_unknown_action",
            details={"action": shown},
        )
    if action == "help":
        return AccessCommand("help")
    project: str | None = None
    channels: list[AccessTarget] = []
    groups: list[AccessTarget] = []
    for word in words[1:]:
        target = parse_access_target(word)
        if target is not None:
            (channels if target.kind == "channel" else groups).append(target)
        elif word.startswith(("<", "#", "@")):
            raise CommandError(
                f"`{safe_echo(word[:40])}` is not a channel or user group; mention it, e.g. `#ml-secret`",
                code="access_bad_target",
                details={"word": safe_echo(word[:40])},
            )
        elif project is None:
            project = word
        else:
            raise CommandError(
                f"unexpected `{safe_echo(word[:40])}` (the project is `{safe_echo(project[:40])}`); "
                f"usage: `{ACCESS_USAGE[action]}`",
                code="access_unexpected_word",
                details={
                    "word": safe_echo(word[:40]),
                    "project": safe_echo(project[:40]),
                    "usage": ACCESS_USAGE[action],
                },
            )
    if action != "show" and project is None:
        raise CommandError(
            f"name the project; usage: `{ACCESS_USAGE[action]}`",
            code="access_project_missing",
            details={"usage": ACCESS_USAGE[action]},
        )
    if action == "restrict" and not channels:
        raise CommandError(
            f"name at least one channel to restrict `{safe_echo(project[:40])}` to; usage: `{ACCESS_USAGE[action]}`",
            code="access_no_channels",
            details={"project": safe_echo(project[:40]), "usage": ACCESS_USAGE[action]},
        )
    if action != "restrict" and (channels or groups):
        raise CommandError(
            f"`access {action}` takes no channels or user groups; usage: `{ACCESS_USAGE[action]}`",
            code="access_targets_unexpected",
            details={"action": f"access {action}", "usage": ACCESS_USAGE[action]},
        )
    return AccessCommand(action, project, tuple(dict.fromkeys(channels)), tuple(dict.fromkeys(groups)))
