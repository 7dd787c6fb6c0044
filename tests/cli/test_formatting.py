"""Numbers and series look the same in every command."""

from __future__ import annotations

from datetime import UTC, datetime

from contexta_cli.formatting import format_change, format_date, format_delta, format_value, plural


def test_values_and_changes():
    assert format_value(0.902) == "0.902"
    assert format_delta(0.902 - 0.894) == "+0.008"
    assert format_delta(0.843 - 0.861) == "-0.018"
    assert format_delta(0.0) == "±0" and format_delta(None) == "—"
    assert format_change(0.821, 0.902) == "0.821 → 0.902 (+0.081)"


def test_words_and_dates():
    assert (plural(1, "run"), plural(6, "run"), plural(0, "run")) == ("1 run", "6 runs", "0 runs")
    assert format_date(datetime(2025, 4, 18, 9, tzinfo=UTC)) == "2025-04-18" and format_date(None) == "—"
