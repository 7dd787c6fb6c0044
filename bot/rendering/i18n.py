"""Looking sentences up in the catalog, and writing counts, days and dates the way each language does.

``t`` is the one lookup: a key of ``bot.rendering.catalog.CATALOG``, the asker's language and the
values to fill in. A ``count`` picks the plural form by the language's CLDR rule (Babel) and is
written with the language's digit grouping; day names and dates come from Babel's CLDR data, so
no month or weekday name is spelled here.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

from babel import Locale
from babel.dates import format_skeleton, format_time, get_datetime_format, get_day_names
from babel.numbers import format_decimal

from bot.rendering.catalog import CATALOG
from contexta_core.digests import WEEKDAYS
from contexta_core.language import LANGUAGES


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else "en")


def t(lang: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` (English when the language is unknown), filled with ``values``.

    An integer ``count`` chooses the plural form and is written as the language writes numbers.
    """
    entry = CATALOG[key]
    template = entry.get(lang) or entry["en"]
    count = values.get("count")
    if isinstance(count, int) and not isinstance(count, bool):
        values["count"] = number(count, lang)
        if isinstance(template, dict):
            template = template.get(_locale(lang).plural_form(count)) or template["other"]
    elif isinstance(template, dict):
        raise TypeError(f"{key} has plural forms: pass its count as an int")
    return template.format(**values) if values else template


def bilingual(key: str) -> str:
    """``key`` in English, then in Korean: for the few fixed texts Bolt shows before any request
    has a language (e.g. its authorize error message)."""
    return "\n".join(t(lang, key) for lang in ("en", "ko"))


def has(key: str) -> bool:
    """Whether the catalog has ``key`` (for keys built from data: a status, an error code)."""
    return key in CATALOG


def number(value: int | float, lang: str) -> str:
    """A count as the language writes it (``1,234``)."""
    return format_decimal(value, locale=_locale(lang))


def status_counts(counts: dict[str, int], lang: str) -> str:
    """ "6 completed, 1 failed" / "완료 6, 실패 1" (statuses with no runs left out)."""
    parts = [(number(n, lang), status_label(s, lang)) for s, n in counts.items() if n]
    return ", ".join(f"{label} {n}" if lang == "ko" else f"{n} {label}" for n, label in parts) or "—"


def aggregation_label(aggregation: str, lang: str) -> str:
    key = f"aggregation.{aggregation}"
    return t(lang, key) if has(key) else aggregation


def status_label(status: str | None, lang: str) -> str:
    if not status:
        return "—"
    key = f"status.{status}"
    return t(lang, key) if has(key) else status


def language_name(language: str, lang: str) -> str:
    """ "Korean" / "한국어": a language code as the asker reads it."""
    key = f"language.{language}"
    return t(lang, key) if has(key) else language


def day_name(weekday: str, lang: str) -> str:
    """``mon`` → ``Monday`` / ``월요일``."""
    return get_day_names("wide", locale=_locale(lang))[WEEKDAYS.index(weekday)]


def local_time(moment: datetime, zone: str, lang: str, *, with_year: bool = False) -> str:
    """``Mon, Mar 23, 09:00`` / ``3월 23일 (월) 09:00``: ``moment`` on the clock of ``zone``.

    The date is CLDR's abbreviated month-and-weekday form for the language; the time is always
    24-hour, as schedules are typed.
    """
    locale = _locale(lang)
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    date = format_skeleton("yMMMEd" if with_year else "MMMEd", local, locale=locale)
    clock = format_time(local, "HH:mm", locale=locale)
    return get_datetime_format("medium", locale=locale).format(clock, date)
