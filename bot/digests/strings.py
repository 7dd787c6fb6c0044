"""The digest's user-facing strings in English and Korean, and how it writes local dates.

Kept beside the digest code (the answers' table lives in bot/rendering/i18n.py). Placeholders are
filled with text already made safe for mrkdwn; Korean strings avoid particles that depend on the
preceding word after placeholders.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from bot.rendering.i18n import translate

STRINGS: dict[str, dict[str, str]] = {
    # the digest
    "digest.header": {"en": "Weekly digest · {project}", "ko": "주간 다이제스트 · {project}"},
    "digest.period": {"en": "{since} → {until} ({zone})", "ko": "{since} → {until} ({zone})"},
    "digest.preview": {
        "en": ":eyes: Preview: only you can see this, and it does not count as this week's digest.",
        "ko": ":eyes: 미리보기: 나에게만 보이며 이번 주 다이제스트로 기록되지 않습니다.",
    },
    "digest.nothing": {
        "en": ":zzz: *Nothing new this week* in {project}: no new runs and no deployments.",
        "ko": ":zzz: *이번 주에는 새 소식이 없습니다*: {project} 프로젝트에 새 실행도 배포도 없었습니다.",
    },
    "digest.runs": {"en": "*{count} new runs* ({statuses})", "ko": "*새 실행 {count}개* ({statuses})"},
    "digest.runs_one": {"en": "*1 new run* ({statuses})", "ko": "*새 실행 1개* ({statuses})"},
    "digest.runs_more": {"en": "…and {count} earlier this week", "ko": "…이번 주 이전 실행 {count}개 더"},
    "digest.failed": {
        "en": ":warning: *{count} failed*: {names}",
        "ko": ":warning: *실패 {count}개*: {names}",
    },
    "digest.failed_more": {"en": "and {count} more", "ko": "외 {count}개"},
    "digest.metric": {
        "en": "*{metric}* this week: {spark} {first} → {last} · best this week {best} ({run})",
        "ko": "이번 주 *{metric}*: {spark} {first} → {last} · 이번 주 최고 {best} ({run})",
    },
    "digest.metric_one": {
        "en": "*{metric}* this week: {value} ({run})",
        "ko": "이번 주 *{metric}*: {value} ({run})",
    },
    "digest.metric_none": {
        "en": "*{metric}*: no new values this week.",
        "ko": "*{metric}*: 이번 주에는 새 값이 없습니다.",
    },
    "digest.best_new": {
        "en": ":trophy: *New best {metric}: {value}* ({run}), {change} vs. {previous} at the start of the week",
        "ko": ":trophy: *{metric} 최고 기록 경신: {value}* ({run}), 주 초 {previous} 대비 {change}",
    },
    "digest.best_first": {
        "en": ":trophy: *Best {metric} so far: {value}* ({run}), the first value recorded",
        "ko": ":trophy: *지금까지 최고 {metric}: {value}* ({run}), 처음 기록된 값",
    },
    "digest.best_same": {
        "en": "Best {metric} so far: {value} ({run}), unchanged since last week",
        "ko": "지금까지 최고 {metric}: {value} ({run}), 지난주와 같음",
    },
    "digest.deploys": {"en": "*{count} new deployments*: {items}", "ko": "*새 배포 {count}개*: {items}"},
    "digest.deploys_one": {"en": "*1 new deployment*: {items}", "ko": "*새 배포 1개*: {items}"},
    "digest.deploy_item": {"en": "{name} → {run} ({status})", "ko": "{name} → {run} ({status})"},
    "digest.live": {
        "en": ":rocket: *Live now*: {name} serving {run}{value}",
        "ko": ":rocket: *현재 운영 중*: {name} — {run}{value}",
    },
    "digest.live_none": {"en": "No deployment is live yet.", "ko": "아직 운영 중인 배포가 없습니다."},
    "digest.live_best": {
        "en": ":white_check_mark: The live run is the best run so far.",
        "ko": ":white_check_mark: 운영 중인 실행이 지금까지 최고 실행입니다.",
    },
    "digest.live_not_best": {
        "en": ":arrow_up: The live run is not the best: {run} has {value} ({change}).",
        "ko": ":arrow_up: 운영 중인 실행은 최고가 아닙니다: {run} — {value} ({change}).",
    },
    "digest.footer": {
        "en": "Every {day} {time} {zone} · `/contexta digest unsubscribe {project}` to stop",
        "ko": "매주 {day} {time} {zone} · 중지하려면 `/contexta digest unsubscribe {project}`",
    },
    "digest.fallback": {
        "en": "Weekly digest for {project}: {parts}.",
        "ko": "{project} 주간 다이제스트: {parts}.",
    },
    "digest.fallback_runs": {"en": "{count} new runs", "ko": "새 실행 {count}개"},
    "digest.fallback_run": {"en": "1 new run", "ko": "새 실행 1개"},
    "digest.fallback_failed": {"en": " ({count} failed)", "ko": " (실패 {count}개)"},
    "digest.fallback_deploys": {"en": "{count} new deployments", "ko": "새 배포 {count}개"},
    "digest.fallback_deploy": {"en": "1 new deployment", "ko": "새 배포 1개"},
    "digest.fallback_nothing": {
        "en": "Weekly digest for {project}: nothing new this week.",
        "ko": "{project} 주간 다이제스트: 이번 주에는 새 소식이 없습니다.",
    },
    "digest.fallback_best": {"en": " Best {metric}: {value}.", "ko": " 최고 {metric}: {value}."},
    "digest.fallback_live": {"en": " Live: {name}.", "ko": " 운영 중: {name}."},
    # commands
    "cmd.subscribed": {
        "en": ":white_check_mark: This channel will get the weekly digest of {project} every *{day} at {time}* "
        "({zone}{zone_note}), in {language}. First digest: {next}.",
        "ko": ":white_check_mark: 이 채널에 {project} 주간 다이제스트를 *매주 {day} {time}*에 보냅니다 "
        "({zone}{zone_note}, {language}). 첫 다이제스트: {next}.",
    },
    "cmd.updated": {
        "en": ":white_check_mark: Updated: the digest of {project} now comes every *{day} at {time}* "
        "({zone}{zone_note}), in {language}. Next digest: {next}.",
        "ko": ":white_check_mark: 변경했습니다: {project} 다이제스트는 이제 *매주 {day} {time}*에 옵니다 "
        "({zone}{zone_note}, {language}). 다음 다이제스트: {next}.",
    },
    "cmd.resumed": {
        "en": " It was paused ({reason}); it is active again.",
        "ko": " 일시 중지 상태였으나({reason}) 다시 활성화했습니다.",
    },
    "cmd.zone_default": {
        "en": ": Contexta's default zone; add `tz &lt;zone&gt;` to change it",
        "ko": ": Contexta 기본 시간대이며 `tz &lt;시간대&gt;`로 바꿀 수 있습니다",
    },
    "cmd.zone_workspace": {"en": ": the workspace's zone", "ko": ": 워크스페이스 시간대"},
    "cmd.unsubscribed": {
        "en": ":wave: This channel will no longer get the weekly digest of {projects}.",
        "ko": ":wave: 이 채널에 더 이상 {projects} 주간 다이제스트를 보내지 않습니다.",
    },
    "cmd.list_header": {"en": "Digest subscriptions", "ko": "다이제스트 구독"},
    "cmd.list_none": {
        "en": "This channel has no digest subscriptions. Start one with `/contexta digest subscribe &lt;project&gt;`.",
        "ko": "이 채널에는 다이제스트 구독이 없습니다. `/contexta digest subscribe <프로젝트>`로 시작하세요.",
    },
    "cmd.list_none_all": {
        "en": "There are no digest subscriptions in this workspace.",
        "ko": "이 워크스페이스에는 다이제스트 구독이 없습니다.",
    },
    "cmd.list_elsewhere": {
        "en": "{count} more in other channels: `/contexta digest list all`",
        "ko": "다른 채널에 {count}개 더 있습니다: `/contexta digest list all`",
    },
    "cmd.list_item": {
        "en": "{where}{project}: every {day} {time} {zone} · {language}",
        "ko": "{where}{project}: 매주 {day} {time} {zone} · {language}",
    },
    "cmd.list_next": {"en": "next: {when}", "ko": "다음: {when}"},
    "cmd.list_overdue": {"en": "due now (sending shortly)", "ko": "지금 보낼 차례 (곧 전송)"},
    "cmd.list_last": {"en": "last sent: {when}", "ko": "최근 전송: {when}"},
    "cmd.list_never": {"en": "not sent yet", "ko": "아직 전송 안 됨"},
    "cmd.list_paused": {
        "en": ":double_vertical_bar: *paused* since {when}: {reason}. Fix it, then run "
        "`/contexta digest subscribe {project}` here to resume.",
        "ko": ":double_vertical_bar: *일시 중지됨* ({when}부터): {reason}. 문제를 해결한 뒤 이 채널에서 "
        "`/contexta digest subscribe {project}` 명령으로 다시 시작할 수 있습니다.",
    },
    "cmd.list_retry": {
        "en": ":hourglass: the {period} digest failed ({error}); retrying at {when}",
        "ko": ":hourglass: {period} 다이제스트 전송 실패 ({error}); {when}에 다시 시도합니다",
    },
    "cmd.list_failed": {
        "en": ":x: the {period} digest was not sent ({error}); its news will be in the next one",
        "ko": ":x: {period} 다이제스트를 보내지 못했습니다 ({error}); 내용은 다음 다이제스트에 포함됩니다",
    },
    "cmd.list_uncertain": {
        "en": ":grey_question: the {period} digest may not have been posted ({error}); it is not posted again",
        "ko": ":grey_question: {period} 다이제스트가 게시되지 않았을 수 있습니다 ({error}); 다시 게시하지 않습니다",
    },
    "cmd.list_more": {"en": "…and {count} more", "ko": "…외 {count}개"},
    "cmd.list_fallback": {
        "en": "{count} digest subscription(s).",
        "ko": "다이제스트 구독 {count}개.",
    },
    "cmd.error": {"en": ":warning: {message}", "ko": ":warning: {message}"},
    "cmd.run_due": {
        "en": "Digest run: {delivered} delivered, {retrying} retrying, {paused} paused, {failed} failed.",
        "ko": "다이제스트 실행: 전송 {delivered}개, 재시도 예정 {retrying}개, 일시 중지 {paused}개, 실패 {failed}개.",
    },
    "cmd.run_due_unavailable": {
        "en": "`run-due` is not available here; the bot delivers due digests by itself every minute.",
        "ko": "여기서는 `run-due`를 쓸 수 없습니다. 봇이 1분마다 보낼 다이제스트를 직접 보냅니다.",
    },
    "cmd.usage": {
        "en": "*Weekly digests* post a project summary to this channel once a week.\n"
        "• `/contexta digest subscribe [project] [weekly &lt;day&gt; &lt;HH:MM&gt;] [tz &lt;zone&gt;] [lang en|ko]` "
        "(default: Monday 09:00)\n"
        "• `/contexta digest list [all]`: subscriptions, next digest and any problem\n"
        "• `/contexta digest unsubscribe [project]`\n"
        "• `/contexta digest preview [project]`: this week's digest so far, only for you",
        "ko": "*주간 다이제스트*는 일주일에 한 번 프로젝트 요약을 이 채널에 게시합니다.\n"
        "• `/contexta digest subscribe [프로젝트] [weekly &lt;요일&gt; &lt;HH:MM&gt;] [tz &lt;시간대&gt;] [lang en|ko]` "
        "(기본: 월요일 09:00)\n"
        "• `/contexta digest list [all]`: 구독, 다음 전송 시각, 문제\n"
        "• `/contexta digest unsubscribe [프로젝트]`\n"
        "• `/contexta digest preview [프로젝트]`: 지금까지의 이번 주 다이제스트 (나에게만 표시)",
    },
    "lang.en": {"en": "English", "ko": "영어"},
    "lang.ko": {"en": "Korean", "ko": "한국어"},
}

_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ko": ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
}
_SHORT_DAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "ko": tuple("월화수목금토일")}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def tr(lang: str, key: str, **values: object) -> str:
    """A string of the digests' catalog (``STRINGS`` above)."""
    return translate(STRINGS, lang, key, **values)


def day_name(weekday: str, lang: str) -> str:
    from contexta_core.digests import WEEKDAYS

    return _DAY_NAMES.get(lang, _DAY_NAMES["en"])[WEEKDAYS.index(weekday)]


def local_time(moment: datetime, zone: str, lang: str, *, with_year: bool = False) -> str:
    """``Mon Mar 23, 09:00`` / ``3월 23일 (월) 09:00`` in ``zone``."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    weekday = _SHORT_DAYS.get(lang, _SHORT_DAYS["en"])[local.weekday()]
    if lang == "ko":
        year = f"{local.year}년 " if with_year else ""
        return f"{year}{local.month}월 {local.day}일 ({weekday}) {local:%H:%M}"
    year = f" {local.year}" if with_year else ""
    return f"{weekday} {_MONTHS[local.month - 1]} {local.day}{year}, {local:%H:%M}"


def language_name(language: str, lang: str) -> str:
    return tr(lang, f"lang.{language}") if f"lang.{language}" in STRINGS else language
