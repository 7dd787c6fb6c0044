"""Fire times in local wall-clock terms (DST on both sides), period keys, parsing, and APScheduler's weekdays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.digests.scheduler import DigestScheduler, every_minute_trigger
from contexta_core import digests as core

from .helpers import utc, weekly_trigger


def test_berlin_monday_0900_fires_at_0900_local_on_both_sides_of_the_spring_dst_change():
    first = core.next_fire_time("mon", "09:00", "Europe/Berlin", utc("2026-03-20T12:00:00Z"))
    second = core.next_fire_time("mon", "09:00", "Europe/Berlin", first)
    assert first == utc("2026-03-23T08:00:00Z")  # CET, UTC+1
    assert second == utc("2026-03-30T07:00:00Z")  # CEST, UTC+2 (clocks went forward on Sunday the 29th)
    for fire in (first, second):
        local = fire.astimezone(ZoneInfo("Europe/Berlin"))
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
    assert core.period_key(first, "Europe/Berlin") == "2026-W13"
    assert core.period_key(second, "Europe/Berlin") == "2026-W14"


def test_and_on_both_sides_of_the_autumn_change():
    first = core.next_fire_time("mon", "09:00", "Europe/Berlin", utc("2026-10-19T00:00:00Z"))
    assert first == utc("2026-10-19T07:00:00Z")
    assert core.next_fire_time("mon", "09:00", "Europe/Berlin", first) == utc("2026-10-26T08:00:00Z")


def test_previous_fire_time_is_the_latest_at_or_before():
    fire = utc("2026-03-30T07:00:00Z")
    assert core.previous_fire_time("mon", "09:00", "Europe/Berlin", fire) == fire
    assert core.previous_fire_time("mon", "09:00", "Europe/Berlin", fire - timedelta(seconds=1)) == utc(
        "2026-03-23T08:00:00Z"
    )
    assert core.previous_fire_time("mon", "09:00", "Europe/Berlin", utc("2026-04-02T00:00:00Z")) == fire


def test_seoul_has_no_dst_and_a_wall_time_skipped_by_dst_fires_an_hour_later_on_the_new_clock():
    assert core.next_fire_time("mon", "09:00", "Asia/Seoul", utc("2026-03-28T00:00:00Z")) == utc(
        "2026-03-30T00:00:00Z"
    )
    # Sunday 2026-03-29 02:30 does not exist in Berlin: it fires at 03:30 CEST (01:30Z), once.
    gap = core.next_fire_time("sun", "02:30", "Europe/Berlin", utc("2026-03-28T00:00:00Z"))
    assert gap == utc("2026-03-29T01:30:00Z")
    # Sunday 2026-10-25 02:30 happens twice: the first one.
    assert core.next_fire_time("sun", "02:30", "Europe/Berlin", utc("2026-10-24T00:00:00Z")) == utc(
        "2026-10-25T00:30:00Z"
    )


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Seoul", "Australia/Sydney"])
@pytest.mark.parametrize("weekday", core.WEEKDAYS)
def test_next_fire_time_agrees_with_an_apscheduler_cron_trigger_using_weekday_names(zone, weekday):
    trigger = weekly_trigger(weekday, "09:00", zone)
    moment = utc("2026-03-01T00:00:00Z")
    for _ in range(12):  # a quarter year across the DST changes of both hemispheres
        ours = core.next_fire_time(weekday, "09:00", zone, moment)
        theirs = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
        assert theirs is not None and theirs == ours
        assert ours.astimezone(ZoneInfo(zone)).weekday() == core.WEEKDAYS.index(weekday)
        moment = ours


def test_apscheduler_3_crontab_numbers_are_monday_based_which_is_why_names_are_used():
    after = utc("2026-01-01T00:00:00Z")
    crontab_monday = CronTrigger.from_crontab("0 9 * * 1", timezone="UTC").get_next_fire_time(None, after)
    assert crontab_monday.weekday() == 1  # Tuesday! (cron's 1 is Monday; APScheduler 3.x's 1 is Tuesday)
    named = weekly_trigger("mon", "09:00", "UTC").get_next_fire_time(None, after)
    assert named.weekday() == 0
    package = Path(__file__).resolve().parents[2] / "bot" / "digests"
    source = "".join(p.read_text() for p in package.glob("*.py"))
    assert ".from_crontab(" not in source
    assert "day_of_week=weekday" in (Path(__file__).parent / "helpers.py").read_text()


def test_the_scheduler_job_runs_every_minute_just_after_the_minute():
    trigger = every_minute_trigger()
    fires = [trigger.get_next_fire_time(None, utc("2026-03-30T06:59:30Z"))]
    fires.append(trigger.get_next_fire_time(fires[0], fires[0] + timedelta(microseconds=1)))
    assert fires == [utc("2026-03-30T07:00:02Z"), utc("2026-03-30T07:01:02Z")]
    scheduler = DigestScheduler(ctx=None, client=None).start(run_now=False)
    try:
        assert scheduler.running
        assert scheduler.next_run_time().second == 2
    finally:
        scheduler.shutdown()
    assert not scheduler.running


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("mon", "mon"), ("Monday", "mon"), ("FRI", "fri"), ("월요일", "mon"), ("금", "fri"), ("thurs", "thu")],
)
def test_weekday_words(typed, expected):
    assert core.parse_weekday(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09:00", "09:00"),
        ("9:00", "09:00"),
        ("0930", "09:30"),
        ("9am", "09:00"),
        ("6:30pm", "18:30"),
        ("12am", "00:00"),
    ],
)
def test_times_of_day(typed, expected):
    assert core.parse_time_of_day(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9", "noon", "13pm", "09:60", ""])
def test_bad_times_say_what_works(typed):
    with pytest.raises(core.DigestScheduleError, match="use 24-hour `HH:MM`"):
        core.parse_time_of_day(typed)


def test_time_zones_typo_suggestion_and_lenient_forms():
    with pytest.raises(core.UnknownTimezoneError) as info:
        core.parse_timezone("Asia/Seol")
    assert info.value.message == "unknown time zone `Asia/Seol`; did you mean `Asia/Seoul`?"
    assert info.value.suggestions == ("Asia/Seoul",)
    assert core.parse_timezone("europe/berlin") == "Europe/Berlin"
    assert core.parse_timezone("Berlin") == "Europe/Berlin"
    assert core.parse_timezone("New York") == "America/New_York"
    assert core.parse_timezone("KST") == "Asia/Seoul"
    with pytest.raises(core.DigestScheduleError, match="not a day of the week"):
        core.parse_weekday("funday")
