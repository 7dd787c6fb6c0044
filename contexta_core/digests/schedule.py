"""Weekly schedules: parsing what people type (day, time, zone, language) and computing fire
times and period keys with zoneinfo, so local wall-clock times survive DST changes."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from ..language import LANGUAGES
from .constants import WEEKDAYS, DigestScheduleError, UnknownTimezoneError

_WEEKDAY_WORDS = {
    **{name: name for name in WEEKDAYS},
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "월": "mon",
    "화": "tue",
    "수": "wed",
    "목": "thu",
    "금": "fri",
    "토": "sat",
    "일": "sun",
    **{f"{k}요일": v for k, v in zip("월화수목금토일", WEEKDAYS, strict=True)},
}
_ZONE_ALIASES = {"kst": "Asia/Seoul", "jst": "Asia/Tokyo", "z": "UTC", "gmt": "UTC", "utc": "UTC"}


def parse_weekday(text: str) -> str:
    """``mon`` … ``sun`` from English or Korean day names (``Monday``, ``월``, ``월요일``)."""
    key = (text or "").strip().casefold().rstrip(".")
    if key in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[key]
    raise DigestScheduleError(
        f"`{echo_typed(text)}` is not a day of the week; use one of {', '.join(f'`{d}`' for d in WEEKDAYS)}",
        code="invalid_weekday",
        details={"value": echo_typed(text), "allowed": list(WEEKDAYS)},
    )


def parse_time_of_day(text: str) -> str:
    """``HH:MM`` (24-hour) from ``9:00``, ``09:00``, ``0900``, ``9am`` or ``6:30pm``."""
    raw = (text or "").strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?", raw)
    if match and (match.group(2) is not None or match.group(3)):
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return f"{hour:02d}:{minute:02d}"
    raise DigestScheduleError(
        f"`{echo_typed(text)}` is not a time of day; use 24-hour `HH:MM`, e.g. `09:00`",
        code="invalid_time_of_day",
        details={"value": echo_typed(text)},
    )


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name zoneinfo knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


def parse_timezone(text: str) -> str:
    """The canonical IANA name for ``text`` (any case, a unique city such as ``Berlin`` or ``New York``).

    Unknown names raise ``UnknownTimezoneError`` with the closest zones as suggestions.
    """
    raw = (text or "").strip()
    if not raw:
        raise UnknownTimezoneError(
            "no time zone given; use an IANA name such as `Asia/Seoul`", code="timezone_missing"
        )
    names = zone_names()
    by_lower = {name.lower(): name for name in names}
    key = raw.lower().replace(" ", "_")
    if key in by_lower:
        return by_lower[key]
    if key in _ZONE_ALIASES:
        return _ZONE_ALIASES[key]
    cities = [name for name in names if "/" in name and name.rsplit("/", 1)[1].lower() == key]
    if len(cities) == 1:
        return cities[0]
    from rapidfuzz import fuzz, process, utils

    matches = process.extract(raw, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=5)
    top = matches[0][1] if matches else 0
    suggestions = [name for name, score, _ in matches if score >= max(60, top - 5)][:3]
    tail = (
        f"; did you mean {' or '.join(f'`{s}`' for s in suggestions)}?"
        if suggestions
        else "; use an IANA name such as `Asia/Seoul` or `Europe/Berlin`"
    )
    raise UnknownTimezoneError(
        f"unknown time zone `{echo_typed(raw)}`{tail}",
        details={"zone": echo_typed(raw), "suggestions": suggestions},
    )


def parse_language(text: str) -> str:
    key = (text or "").strip().casefold()
    key = {"english": "en", "korean": "ko", "kr": "ko", "한국어": "ko", "영어": "en"}.get(key, key)
    if key in LANGUAGES:
        return key
    raise DigestScheduleError(
        f"`{echo_typed(text)}` is not a digest language; use `en` or `ko`",
        code="invalid_language",
        details={"value": echo_typed(text), "allowed": list(LANGUAGES)},
    )


def _local_fire(day: date, hh_mm: str, zone: zoneinfo.ZoneInfo) -> datetime:
    """The UTC instant of ``hh_mm`` on local ``day``.

    A wall time skipped by a DST jump (02:30 on a spring-forward night) fires at the same offset
    as just before the jump, i.e. one hour later on the new clock; a repeated wall time (autumn)
    fires at its first occurrence. Both follow ``zoneinfo``'s fold=0 rule.
    """
    hour, minute = (int(part) for part in hh_mm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def next_fire_time(weekday: str, hh_mm: str, tz: str, after: datetime) -> datetime:
    """The first weekly fire time strictly after ``after`` (aware), in UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    target = WEEKDAYS.index(weekday)
    local_day = require_aware(after).astimezone(zone).date() - timedelta(days=1)
    local_day += timedelta(days=(target - local_day.weekday()) % 7)
    while True:
        fire = _local_fire(local_day, hh_mm, zone)
        if fire > after:
            return fire
        local_day += timedelta(days=7)


def previous_fire_time(weekday: str, hh_mm: str, tz: str, at: datetime) -> datetime:
    """The latest weekly fire time at or before ``at`` (aware), in UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    target = WEEKDAYS.index(weekday)
    local_day = require_aware(at).astimezone(zone).date() + timedelta(days=1)
    local_day -= timedelta(days=(local_day.weekday() - target) % 7)
    while True:
        fire = _local_fire(local_day, hh_mm, zone)
        if fire <= at:
            return fire
        local_day -= timedelta(days=7)


def period_key(fire_time: datetime, tz: str) -> str:
    """``2026-W13``: the ISO week of the fire's local date (one digest per week per subscription)."""
    year, week, _ = require_aware(fire_time).astimezone(zoneinfo.ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def require_aware(moment: datetime) -> datetime:
    """``moment`` itself; a naive datetime is a bug in the caller (digest times are UTC-aware)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; digest times must be timezone-aware")
    return moment


def echo_typed(text: object) -> str:
    """What a person typed, safe to quote in a message: no backticks or angle brackets, one line, short."""
    cleaned = " ".join(str(text).replace("`", "").replace("<", "‹").replace(">", "›").split())
    return cleaned if len(cleaned) <= 60 else cleaned[:59] + "…"
