"""Every user-facing sentence of the Slack app, in English and Korean: answers, digests, errors.

One table, looked up by ``bot.rendering.i18n.t``. A value is a template per language; a template
that depends on a count is a dict of CLDR plural categories (``one``, ``other``: English has both,
Korean only ``other``), chosen by Babel's plural rule for the language. Placeholders are filled
with text the renderer has already made safe for mrkdwn. Korean strings avoid particles that
depend on the preceding word (을/를, 이/가) after placeholders.
"""

from __future__ import annotations

Template = str | dict[str, str]

CATALOG: dict[str, dict[str, Template]] = {
    # page
    "page.position": {"en": "Showing {start}–{end} of {total}", "ko": "{total}개 중 {start}–{end}"},
    "page.more": {"en": "Show more", "ko": "더 보기"},
    # status
    "status.completed": {"en": "completed", "ko": "완료"},
    "status.failed": {"en": "failed", "ko": "실패"},
    "status.open": {"en": "running", "ko": "진행 중"},
    "status.cancelled": {"en": "cancelled", "ko": "취소됨"},
    # aggregation
    "aggregation.latest": {"en": "latest", "ko": "최신"},
    "aggregation.max": {"en": "maximum", "ko": "최대"},
    "aggregation.min": {"en": "minimum", "ko": "최소"},
    "aggregation.mean": {"en": "mean", "ko": "평균"},
    # runs
    "runs.header": {"en": "Runs · {project}", "ko": "실행 목록 · {project}"},
    "runs.none": {"en": "{project} has no runs yet.", "ko": "{project} 프로젝트에는 아직 실행이 없습니다."},
    "runs.summary": {
        "en": {
            "one": "*1 run* in {project} ({statuses}):",
            "other": "*{count} runs* in {project} ({statuses}), oldest first:",
        },
        "ko": "{project} 프로젝트의 실행은 *{count}개*입니다 ({statuses}). 오래된 순서:",
    },
    "runs.legend": {"en": ":rocket: deployed", "ko": ":rocket: 배포됨"},
    "runs.fallback": {
        "en": "Runs of {project} ({count}): {names}",
        "ko": "{project}: 실행 {count}개 — {names}",
    },
    # trend
    "trend.header": {"en": "{metric} over time · {project}", "ko": "{metric} 추이 · {project}"},
    "trend.none": {
        "en": "No run in {project} has recorded {metric} yet.",
        "ko": "{project} 프로젝트에서 {metric} 값을 기록한 실행이 아직 없습니다.",
    },
    "trend.summary": {
        "en": "{metric} across {count} runs: {first} → {last} (*{change}*, {direction})",
        "ko": "실행 {count}개의 {metric}: {first} → {last} (*{change}*, {direction})",
    },
    "trend.better": {"en": "improved", "ko": "개선"},
    "trend.worse": {"en": "worse", "ko": "악화"},
    "trend.flat": {"en": "unchanged", "ko": "변화 없음"},
    "trend.missing": {
        "en": {"one": "1 run has no {metric}: {names}", "other": "{count} runs have no {metric}: {names}"},
        "ko": "실행 {count}개에 {metric} 값이 없습니다: {names}",
    },
    "trend.peak": {"en": "best {value} ({run})", "ko": "최고 {value} ({run})"},
    "trend.legend": {
        "en": "{aggregation} value per run, in run start order · :rocket: deployed",
        "ko": "실행별 {aggregation} 값, 시작 순서 · :rocket: 배포됨",
    },
    "trend.fallback": {
        "en": "{metric} in {project}: {first} → {last} ({change})",
        "ko": "{project}의 {metric}: {first} → {last} ({change})",
    },
    # deploy
    "deploy.header": {"en": "Deployments · {project}", "ko": "배포 · {project}"},
    "deploy.none": {
        "en": "{project} has no deployments recorded yet.",
        "ko": "{project} 프로젝트에는 기록된 배포가 아직 없습니다.",
    },
    "deploy.summary": {
        "en": {"one": "*1 deployment* of {project}.", "other": "*{count} deployments* of {project}."},
        "ko": "{project} 프로젝트의 배포는 *{count}건*입니다.",
    },
    "deploy.live_no_value": {
        "en": ":large_green_circle: *Live now:* {deployment} → {run}, since {since}",
        "ko": ":large_green_circle: *현재 운영 중:* {deployment} → {run}, {since}부터",
    },
    "deploy.live": {
        "en": ":large_green_circle: *Live now:* {deployment} → {run} ({metric} {value}), since {since}",
        "ko": ":large_green_circle: *현재 운영 중:* {deployment} → {run} ({metric} {value}), {since}부터",
    },
    "deploy.no_live": {
        "en": ":white_circle: Nothing is live in production right now.",
        "ko": ":white_circle: 현재 프로덕션에서 운영 중인 모델이 없습니다.",
    },
    "deploy.live_mark": {"en": "live", "ko": "운영 중"},
    "deploy.legend": {
        "en": "In the order they happened · {metric} is the deployed run's value",
        "ko": "배포 순서 · {metric} 값은 배포된 실행의 값",
    },
    "deploy.fallback": {
        "en": "Deployments of {project} ({count}); live now: {deployment} → {run}",
        "ko": "{project}: 배포 {count}건, 현재 운영 중: {deployment} → {run}",
    },
    "deploy.fallback_none_live": {
        "en": "Deployments of {project} ({count}); nothing is live now",
        "ko": "{project}: 배포 {count}건, 현재 운영 중인 모델 없음",
    },
    # best
    "best.header": {"en": "Best run · {project}", "ko": "최고 실행 · {project}"},
    "best.none": {
        "en": "No run in {project} has a value for {metric}.",
        "ko": "{project} 프로젝트에는 {metric} 값이 있는 실행이 없습니다.",
    },
    "best.winner_high": {
        "en": "{run} has the highest {metric}: *{value}*",
        "ko": "{metric} 값이 가장 높은 실행은 {run}입니다: *{value}*",
    },
    "best.winner_low": {
        "en": "{run} has the lowest {metric}: *{value}*",
        "ko": "{metric} 값이 가장 낮은 실행은 {run}입니다: *{value}*",
    },
    "best.margin": {
        "en": "Ahead of the runner-up {run} ({value}) by *{margin}*.",
        "ko": "2위 {run}({value})보다 *{margin}* 앞섭니다.",
    },
    "best.alone": {
        "en": "No other run has this metric to compare with.",
        "ko": "비교할 다른 실행이 없습니다.",
    },
    "best.is_live": {
        "en": ":large_green_circle: It is *live in production* ({deployment}).",
        "ko": ":large_green_circle: 이 실행이 *현재 프로덕션에서 운영 중*입니다 ({deployment}).",
    },
    "best.was_deployed": {
        "en": ":warning: It was deployed before ({deployments}) but is *not live now*.",
        "ko": ":warning: 이전에 배포된 적은 있지만 ({deployments}) *지금은 운영 중이 아닙니다*.",
    },
    "best.not_deployed": {
        "en": ":warning: It is *not in production*: the best run and the deployed run differ.",
        "ko": ":warning: 이 실행은 *프로덕션에 배포되지 않았습니다*. 최고 실행과 배포된 실행이 다릅니다.",
    },
    "best.rule": {
        "en": "Ranked by each run's {aggregation} value in stage {where}; {direction}. Runs without it "
        "are skipped.",
        "ko": "{where} 단계의 실행별 {aggregation} 값 기준, {direction}. 값이 없는 실행은 제외합니다.",
    },
    "best.run_level": {"en": "run level", "ko": "실행 수준"},
    "best.higher": {"en": "higher is better", "ko": "높을수록 좋음"},
    "best.lower": {"en": "lower is better", "ko": "낮을수록 좋음"},
    "best.fb_live": {"en": "and it is live in production", "ko": "현재 프로덕션에서 운영 중"},
    "best.fb_not_live": {
        "en": "but it is not what production serves",
        "ko": "프로덕션에는 배포되어 있지 않음",
    },
    "best.fallback": {
        "en": "Best run: {run} ({metric} {value}), {state}.",
        "ko": "최고 실행: {run} ({metric} {value}), {state}.",
    },
    # report
    "report.col_run": {"en": "run", "ko": "실행"},
    "report.col_status": {"en": "status", "ko": "상태"},
    "report.col_deployed": {"en": "deployed", "ko": "배포"},
    "report.full": {"en": "Full report", "ko": "전체 리포트"},
    "report.empty": {
        "en": "{project} has no runs to report on yet.",
        "ko": "{project} 프로젝트에는 아직 리포트할 실행이 없습니다.",
    },
    "report.intro": {
        "en": "Top {shown} of {total} runs in {project} by {metric} (metric columns: {columns}):",
        "ko": "{project} 프로젝트 실행 {total}개 중 {metric} 기준 상위 {shown}개 (전체 지표 열 {columns}개):",
    },
    "report.intro_latest": {
        "en": "The latest {shown} of {total} runs in {project} (metric columns: {columns}):",
        "ko": "{project} 프로젝트 실행 {total}개 중 최근 {shown}개 (전체 지표 열 {columns}개):",
    },
    "report.hint": {
        "en": "The full report lists every run in time order with every metric.",
        "ko": "전체 리포트에는 모든 실행과 모든 지표가 시간 순서로 나옵니다.",
    },
    "report.fallback": {"en": "{title} for {project}", "ko": "{project}: {title}"},
    # onboard
    "onboard.header": {"en": "Welcome to {project}", "ko": "{project} 온보딩"},
    "onboard.defaults": {
        "en": "Primary metric {metric}, {direction}",
        "ko": "주요 지표 {metric}, {direction}",
    },
    "onboard.runs": {"en": "*1. Runs:* {count} ({statuses})", "ko": "*1. 실행:* {count}개 ({statuses})"},
    "onboard.latest": {"en": "Latest: {runs}", "ko": "최근: {runs}"},
    "onboard.trend": {
        "en": "*2. {metric} over time:* {first} → {last} (*{change}*, {direction})  `{spark}`",
        "ko": "*2. {metric} 추이:* {first} → {last} (*{change}*, {direction})  `{spark}`",
    },
    "onboard.no_trend": {
        "en": "*2. Trend:* no run has recorded {metric}.",
        "ko": "*2. 추이:* {metric} 값을 기록한 실행이 없습니다.",
    },
    "onboard.deployments": {"en": "*3. Deployments:* {count}", "ko": "*3. 배포:* {count}건"},
    "onboard.best": {
        "en": "*4. Best run:* {run} ({metric} *{value}*).",
        "ko": "*4. 최고 실행:* {run} ({metric} *{value}*).",
    },
    "onboard.no_best": {
        "en": "*4. Best run:* none has {metric} yet.",
        "ko": "*4. 최고 실행:* {metric} 값이 있는 실행이 없습니다.",
    },
    "onboard.report": {
        "en": "*5. Report:* {title}. Top {shown} of {total}:",
        "ko": "*5. 리포트:* {title}. {total}개 중 상위 {shown}개:",
    },
    "onboard.no_report": {
        "en": "*5. Report:* no runs to compare yet.",
        "ko": "*5. 리포트:* 비교할 실행이 아직 없습니다.",
    },
    "onboard.all_runs": {"en": "All runs", "ko": "전체 실행"},
    "onboard.fallback": {
        "en": {"one": "{project}: {count} run.", "other": "{project}: {count} runs."},
        "ko": "{project}: 실행 {count}개.",
    },
    "onboard.fallback_best": {"en": "Best: {run} ({value}).", "ko": "최고: {run} ({value})."},
    "onboard.fallback_live": {"en": "Live: {deployment}.", "ko": "운영 중: {deployment}."},
    # compare
    "compare.header": {"en": "{left} vs {right}", "ko": "{left} 대 {right}"},
    "compare.started": {"en": "started {day}", "ko": "{day} 시작"},
    "compare.not_deployed": {"en": "not deployed", "ko": "배포 안 됨"},
    "compare.verdict": {
        "en": "{right} vs {left}: better on *{better}*, worse on *{worse}* of {total} shared metrics.",
        "ko": "{left} 대비 {right}: 공통 지표 {total}개 중 *{better}*개 개선, *{worse}*개 악화.",
    },
    "compare.no_common": {
        "en": "The two runs share no metric to compare.",
        "ko": "두 실행에 공통 지표가 없어 비교할 수 없습니다.",
    },
    "compare.no_metrics": {
        "en": "Neither run recorded metrics.",
        "ko": "두 실행 모두 기록된 지표가 없습니다.",
    },
    "compare.legend": {
        "en": "left → right, change = right − left · ✓ better, ✗ worse",
        "ko": "왼쪽 → 오른쪽, 변화 = 오른쪽 − 왼쪽 · ✓ 개선, ✗ 악화",
    },
    "compare.hidden": {
        "en": {"one": "{count} more metric not shown", "other": "{count} more metrics not shown"},
        "ko": "지표 {count}개 더 있음",
    },
    "compare.fallback": {"en": "{verdict}", "ko": "{verdict}"},
    # projects
    "projects.header": {"en": "Projects", "ko": "프로젝트"},
    "projects.none": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "import.pending": {
        "en": "This workspace holds a Contexta 1.x history that is not imported yet. Run {command} "
        "where the bot runs, then ask again.",
        "ko": "이 워크스페이스에 아직 가져오지 않은 Contexta 1.x 기록이 있습니다. 봇이 실행되는 곳에서 "
        "다음 명령을 실행한 뒤 다시 물어보세요: {command}",
    },
    "projects.summary": {
        "en": {"one": "*1 project:*", "other": "*{count} projects:*"},
        "ko": "*프로젝트 {count}개:*",
    },
    "projects.runs": {"en": {"one": "1 run", "other": "{count} runs"}, "ko": "실행 {count}개"},
    "projects.last": {"en": "last run {day}", "ko": "마지막 실행 {day}"},
    "projects.default": {"en": "this channel's default", "ko": "이 채널의 기본 프로젝트"},
    "projects.hint": {
        "en": "Set this channel's default with `/contexta use &lt;project&gt;`",
        "ko": "`/contexta use &lt;project&gt;`로 이 채널의 기본 프로젝트를 정하세요",
    },
    "projects.fallback": {
        "en": {"one": "{count} project: {names}", "other": "{count} projects: {names}"},
        "ko": "프로젝트 {count}개: {names}",
    },
    # use
    "use.done": {
        "en": "This channel now uses {project} when a question or command names no project.",
        "ko": "이제 이 채널에서 프로젝트를 지정하지 않으면 {project} 프로젝트를 사용합니다.",
    },
    "use.hint": {
        "en": "Try `/contexta onboard` or ask me “what's our best run?”",
        "ko": "`/contexta onboard` 를 실행하거나 “가장 좋은 실행은 뭐야?”라고 물어보세요",
    },
    # help
    "help.header": {"en": "Contexta", "ko": "Contexta 도움말"},
    "help.intro": {
        "en": "I answer questions about a model project from its stored run history.",
        "ko": "저장된 실행 기록을 바탕으로 모델 프로젝트에 대한 질문에 답합니다.",
    },
    "help.commands": {"en": "Commands", "ko": "명령어"},
    "help.ask": {
        "en": "Or @mention me / DM me a question, e.g.",
        "ko": "또는 저를 @멘션하거나 DM으로 물어보세요. 예:",
    },
    "help.examples": {
        "en": "how many training runs do we have?|how did accuracy change over time?|which model is in "
        "production?|what's our best run on f1?|is there a report comparing all runs?|compare "
        "churn-v3-feb and churn-v6-apr|I'm new here, where do I start?",
        "ko": "학습 실행이 몇 개야?|정확도는 어떻게 변했어?|어떤 실행이 프로덕션에 배포됐어?|가장 좋은 실행은 뭐야?|전체 실행 비교 리포트 있어?|churn-v3-feb랑 "
        "churn-v6-apr 비교해줘|처음 왔는데 요약해줘",
    },
    "help.default": {
        "en": "This channel's default project: {project}",
        "ko": "이 채널의 기본 프로젝트: {project}",
    },
    "help.no_default": {
        "en": "No default project here yet: `/contexta use &lt;project&gt;` sets one.",
        "ko": "이 채널에는 기본 프로젝트가 없습니다. `/contexta use &lt;project&gt;`로 정할 수 있습니다.",
    },
    "help.fallback": {
        "en": "Contexta answers questions about a model project. Commands: {commands}. Start with "
        "/contexta help",
        "ko": "Contexta는 모델 프로젝트에 대한 질문에 답합니다. 명령어: {commands}. /contexta help 로 시작하세요",
    },
    "help.unplaced": {
        "en": "I couldn't tell what you're asking. Questions like these work:",
        "ko": "무엇을 물어보시는지 잘 모르겠어요. 이런 질문에 답할 수 있어요:",
    },
    "help.unplaced_fallback": {
        "en": "I couldn't tell what you're asking; try “what's our best run?” or /contexta help",
        "ko": "무엇을 물어보시는지 잘 모르겠어요. “가장 좋은 실행은 뭐야?” 또는 /contexta help 를 써 보세요",
    },
    "help.more": {"en": "All commands: `/contexta help`", "ko": "전체 명령어: `/contexta help`"},
    "help.cmd.help": {"en": "this help, or help for one command", "ko": "이 도움말 또는 명령어별 도움말"},
    "help.cmd.projects": {"en": "the projects I know", "ko": "등록된 프로젝트 목록"},
    "help.cmd.runs": {"en": "how many runs, with names in time order", "ko": "실행 개수와 이름 (시간 순서)"},
    "help.cmd.deployments": {
        "en": "what was deployed and what is live",
        "ko": "배포 이력과 현재 운영 중인 모델",
    },
    "help.cmd.trend": {"en": "a metric over time", "ko": "지표의 시간에 따른 변화"},
    "help.cmd.best": {"en": "the best run and whether it is in production", "ko": "최고 실행과 배포 여부"},
    "help.cmd.report": {"en": "the multi-run comparison report", "ko": "여러 실행 비교 리포트"},
    "help.cmd.onboard": {
        "en": "everything a newcomer should know, in one message",
        "ko": "새로 온 사람을 위한 요약",
    },
    "help.cmd.compare": {"en": "two runs side by side", "ko": "두 실행 나란히 비교"},
    "help.cmd.use": {"en": "set this channel's default project", "ko": "이 채널의 기본 프로젝트 설정"},
    "help.cmd.digest": {
        "en": "a weekly summary in this channel: `subscribe`, `list`, `preview`, `unsubscribe`",
        "ko": "이 채널의 주간 요약: `subscribe`, `list`, `preview`, `unsubscribe`",
    },
    "help.cmd.watch": {
        "en": "tell this channel about a project's new bests, deployments, failures and regressions",
        "ko": "프로젝트의 최고 기록, 배포, 실패, 성능 저하를 이 채널에 알림",
    },
    "help.cmd.unwatch": {
        "en": "stop this channel's alerts for a project",
        "ko": "이 채널의 프로젝트 알림 중지",
    },
    # clarify
    "clarify.which": {"en": "Which project do you mean?", "ko": "어느 프로젝트를 말씀하시나요?"},
    "clarify.ambiguous": {
        "en": "Your question matches more than one project. Which one do you mean?",
        "ko": "질문이 여러 프로젝트에 해당합니다. 어느 프로젝트인가요?",
    },
    "clarify.choose": {"en": "Choose", "ko": "선택"},
    "clarify.more": {
        "en": "…and {count} more; name the project in your question.",
        "ko": "…외 {count}개. 질문에 프로젝트 이름을 넣어 주세요.",
    },
    "clarify.hint": {
        "en": "Tip: `/contexta use &lt;project&gt;` sets a default for this channel.",
        "ko": "팁: `/contexta use &lt;project&gt;`로 이 채널의 기본 프로젝트를 정할 수 있습니다.",
    },
    "clarify.readings": {
        "en": "I'm not sure what you're asking. Did you mean one of these?",
        "ko": "질문을 확실히 이해하지 못했어요. 이 중 하나인가요?",
    },
    "clarify.reading.runs": {"en": "the runs{of}", "ko": "{of}실행 목록"},
    "clarify.reading.trend": {"en": "how {metric} changed over time{of}", "ko": "{of}{metric} 추이"},
    "clarify.reading.deployments": {"en": "what was deployed{of}", "ko": "{of}배포 현황"},
    "clarify.reading.best": {"en": "the best run{by}{of}", "ko": "{of}{by}가장 좋은 실행"},
    "clarify.reading.report": {"en": "a report comparing all runs{of}", "ko": "{of}전체 실행 비교 리포트"},
    "clarify.reading.compare": {"en": "a comparison of those runs", "ko": "두 실행 비교"},
    "clarify.reading.onboard": {"en": "an overview{of}", "ko": "{of}개요"},
    "clarify.reading.projects": {"en": "the list of projects", "ko": "프로젝트 목록"},
    "clarify.reading.help": {"en": "what I can do", "ko": "사용법"},
    "clarify.reading.of": {"en": " of `{project}`", "ko": "`{project}`의 "},
    "clarify.reading.by": {"en": " by `{metric}`", "ko": "`{metric}` 기준 "},
    "clarify.reading.metric": {"en": "the metric", "ko": "지표"},
    "offtopic.reply": {
        "en": ":wave: I only know about your model projects' runs — I can't help with that one. Try:",
        "ko": ":wave: 저는 모델 프로젝트의 실행 기록에 대해서만 답할 수 있어요. 이런 걸 물어보세요:",
    },
    "offtopic.fallback": {
        "en": "I only answer questions about your model projects' runs; try “what's our best run?”",
        "ko": "모델 프로젝트의 실행 기록에 대해서만 답할 수 있어요. “가장 좋은 실행은 뭐야?”처럼 물어보세요",
    },
    "reading": {
        "en": "Read as `{project}` · `{metric}`{stage} · {direction} ({why}).{others} Change it: name a metric, say “lowest”/“highest”, or `--stage`.",
        "ko": "`{project}` · `{metric}`{stage} · {direction} 기준으로 답했어요 ({why}).{others} 바꾸려면 지표 이름, “가장 낮은/높은”, 또는 `--stage`를 넣어 주세요.",
    },
    "reading.stage": {"en": " on `{stage}`", "ko": " (`{stage}` 단계)"},
    "reading.run_level": {"en": " (run level)", "ko": " (실행 단위)"},
    "reading.higher": {"en": "higher is better", "ko": "높을수록 좋음"},
    "reading.lower": {"en": "lower is better", "ko": "낮을수록 좋음"},
    "reading.why.stored": {"en": "the project's stored default", "ko": "프로젝트 기본값"},
    "reading.why.inferred": {"en": "the metric most of its runs record", "ko": "대부분의 실행이 기록한 지표"},
    "reading.why.asked": {"en": "as asked", "ko": "질문대로"},
    "reading.why.fallback": {"en": "the default; nothing recorded yet", "ko": "기본값, 아직 기록 없음"},
    "reading.others": {"en": " Also recorded: {names}.", "ko": " 다른 지표: {names}."},
    "reading.follow_up": {
        "en": "Following up on your previous question in this conversation.",
        "ko": "이 대화의 이전 질문에 이어서 답했어요.",
    },
    "read_as": {
        "en": "Taking `{typed}` as `{stored}` (did you mean it?)",
        "ko": "`{typed}`을(를) `{stored}`(으)로 알아들었어요",
    },
    # files
    "files.chart": {"en": ":chart_with_upwards_trend: {title}", "ko": ":chart_with_upwards_trend: {title}"},
    "files.report": {
        "en": ":page_facing_up: {title} as Markdown and HTML (the HTML has the chart)",
        "ko": ":page_facing_up: {title} Markdown, HTML 파일 (HTML에 차트 포함)",
    },
    "files.caption": {
        "en": ":chart_with_upwards_trend: {metric} over time · {project}",
        "ko": ":chart_with_upwards_trend: {metric} 추이 · {project}",
    },
    "files.failed.chart": {
        "en": ":warning: The chart could not be attached: {reason}.",
        "ko": ":warning: 차트를 첨부하지 못했습니다: {reason}.",
    },
    "files.failed.report": {
        "en": ":warning: The report files could not be attached: {reason}.",
        "ko": ":warning: 리포트 파일을 첨부하지 못했습니다: {reason}.",
    },
    "files.reason.scope": {
        "en": "the app lacks the `files:write` permission (reinstall it from manifest.yml)",
        "ko": "앱에 `files:write` 권한이 없습니다 (manifest.yml로 다시 설치하세요)",
    },
    "files.reason.channel": {
        "en": "the bot cannot post in this conversation (invite @Contexta first)",
        "ko": "봇이 이 대화에 글을 쓸 수 없습니다 (먼저 @Contexta를 초대하세요)",
    },
    "files.reason.network": {
        "en": "Slack could not be reached; try again in a moment",
        "ko": "Slack에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요",
    },
    "files.reason.internal": {
        "en": "something went wrong on my side while making it",
        "ko": "만드는 중에 문제가 생겼습니다",
    },
    "files.reason.slack": {"en": "Slack answered `{error}`", "ko": "Slack 응답 `{error}`"},
    "files.report_summary": {
        "en": ":page_facing_up: {title}: a summary page (HTML, with the chart, top runs and deployments) and every run as CSV",
        "ko": ":page_facing_up: {title}: 요약 페이지 (HTML: 차트, 상위 실행, 배포) 및 모든 실행의 CSV",
    },
    # heavy answers built in a worker process (bot.heavy_answers, bot.listeners.later)
    "building.answer": {
        "en": ":hourglass_flowing_sand: Building the full report of {project} ({runs} runs)… this message will show it when it is ready.",
        "ko": ":hourglass_flowing_sand: {project} 전체 리포트를 만드는 중입니다 (실행 {runs}개)… 준비되면 이 메시지에 표시됩니다.",
    },
    "building.report": {
        "en": ":hourglass_flowing_sand: Building the report files of {project} ({runs} runs)… they will appear in this thread.",
        "ko": ":hourglass_flowing_sand: {project} 리포트 파일을 만드는 중입니다 (실행 {runs}개)… 이 스레드에 올라옵니다.",
    },
    "building.chart": {
        "en": ":hourglass_flowing_sand: Drawing the chart of {project} ({runs} runs)… it will appear in this thread.",
        "ko": ":hourglass_flowing_sand: {project} 차트를 그리는 중입니다 (실행 {runs}개)… 이 스레드에 올라옵니다.",
    },
    "built.report": {
        "en": ":white_check_mark: The report files of {project} are below (built in {seconds} s).",
        "ko": ":white_check_mark: {project} 리포트 파일이 아래에 있습니다 ({seconds}초 걸림).",
    },
    "built.chart": {
        "en": ":white_check_mark: The chart of {project} is below (drawn in {seconds} s).",
        "ko": ":white_check_mark: {project} 차트가 아래에 있습니다 ({seconds}초 걸림).",
    },
    "built.none": {
        "en": "There is nothing to draw for {project}.",
        "ko": "{project}에는 그릴 내용이 없습니다.",
    },
    # button
    "button.trend_chart": {"en": "Trend chart", "ko": "추이 차트"},
    "button.compare_live": {"en": "Compare with production", "ko": "프로덕션과 비교"},
    # home
    "home.header": {"en": "Contexta", "ko": "Contexta"},
    "home.intro": {
        "en": "I answer questions about your model projects from their run history. Ask me in a DM, "
        "@mention me in a channel, or use `/contexta`.",
        "ko": "모델 프로젝트의 실행 기록으로 질문에 답합니다. DM으로 묻거나, 채널에서 멘션하거나, `/contexta`를 쓰세요.",
    },
    "home.projects": {"en": "*Projects* ({count})", "ko": "*프로젝트* ({count}개)"},
    "home.none": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "home.runs": {"en": {"one": "1 run", "other": "{count} runs"}, "ko": "실행 {count}개"},
    "home.live": {"en": "live {deployment} → {run}", "ko": "운영 중 {deployment} → {run}"},
    "home.no_live": {"en": "nothing live", "ko": "운영 중인 모델 없음"},
    "home.best": {"en": "best {run} ({metric} {value})", "ko": "최고 {run} ({metric} {value})"},
    "home.no_best": {"en": "no best run yet", "ko": "최고 실행 없음"},
    "home.updated": {"en": "updated {when}", "ko": "{when} 업데이트"},
    "home.onboard": {"en": "Onboard me", "ko": "한국어로 온보딩"},
    "home.more": {
        "en": "…and {count} more, less recently active: `/contexta projects` lists them all.",
        "ko": "…외 {count}개 (최근 활동이 적은 순): `/contexta projects`로 모두 볼 수 있습니다.",
    },
    "home.onboard_hint": {
        "en": "*Onboard me* sends you the project's summary in a DM.",
        "ko": "*한국어로 온보딩*을 누르면 프로젝트 요약을 DM으로 보내 드립니다.",
    },
    "home.ask": {"en": "*Ask me, for example:*", "ko": "*이렇게 물어보세요:*"},
    # digest
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
    "digest.runs": {
        "en": {"one": "*1 new run* ({statuses})", "other": "*{count} new runs* ({statuses})"},
        "ko": "*새 실행 {count}개* ({statuses})",
    },
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
    "digest.metric_missing": {
        "en": "no {metric} recorded in this project; set the project's metric to see its trend",
        "ko": "이 프로젝트에는 {metric} 값이 기록되어 있지 않습니다. 추이를 보려면 프로젝트의 지표를 설정하세요.",
    },
    "digest.metric_none": {
        "en": "*{metric}*: no new values this week.",
        "ko": "*{metric}*: 이번 주에는 새 값이 없습니다.",
    },
    "digest.best_new": {
        "en": ":trophy: *New best {metric}: {value}* ({run}), {change} vs. {previous} at the start of the "
        "week",
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
    "digest.deploys": {
        "en": {"one": "*1 new deployment*: {items}", "other": "*{count} new deployments*: {items}"},
        "ko": "*새 배포 {count}개*: {items}",
    },
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
    # why a digest subscription was paused (the Slack error, or the project gone)
    "digest.pause.channel_not_found": {
        "en": "the channel no longer exists or the bot cannot see it",
        "ko": "채널이 더 이상 없거나 봇이 볼 수 없습니다",
    },
    "digest.pause.not_in_channel": {
        "en": "the bot is not a member of the channel; invite it with `/invite @Contexta`",
        "ko": "봇이 채널 멤버가 아닙니다. `/invite @Contexta`로 초대하세요",
    },
    "digest.pause.is_archived": {"en": "the channel is archived", "ko": "채널이 보관되었습니다"},
    "digest.pause.channel_is_archived": {"en": "the channel is archived", "ko": "채널이 보관되었습니다"},
    "digest.pause.restricted_action": {
        "en": "posting in this channel is restricted by a workspace setting",
        "ko": "워크스페이스 설정 때문에 이 채널에 글을 쓸 수 없습니다",
    },
    "digest.pause.restricted_action_read_only_channel": {
        "en": "the channel is read-only",
        "ko": "읽기 전용 채널입니다",
    },
    "digest.pause.restricted_action_thread_only_channel": {
        "en": "the channel only allows replies in threads",
        "ko": "이 채널은 스레드 답글만 허용합니다",
    },
    "digest.pause.team_access_not_granted": {
        "en": "the bot has no access to this channel's workspace",
        "ko": "봇이 이 채널의 워크스페이스에 접근할 수 없습니다",
    },
    "digest.pause.ekm_access_denied": {
        "en": "the workspace's encryption keys deny access",
        "ko": "워크스페이스의 암호화 키가 접근을 거부합니다",
    },
    "digest.pause.missing_scope": {
        "en": "the bot lacks the chat:write permission; reinstall the app",
        "ko": "봇에 `chat:write` 권한이 없습니다. 앱을 다시 설치하세요",
    },
    "digest.pause.messages_tab_disabled": {
        "en": "the bot's messages tab is disabled",
        "ko": "봇의 메시지 탭이 꺼져 있습니다",
    },
    "digest.pause.project_deleted": {
        "en": "the project no longer exists",
        "ko": "프로젝트가 더 이상 없습니다",
    },
    "digest.pause.app_uninstalled": {
        "en": "Contexta was uninstalled from this workspace; install it again, then subscribe again",
        "ko": "이 워크스페이스에서 Contexta가 삭제되었습니다. 다시 설치한 뒤 다시 구독하세요",
    },
    "digest.pause.tokens_revoked": {
        "en": "Contexta's access to this workspace was revoked; install it again, then subscribe again",
        "ko": "이 워크스페이스에 대한 Contexta의 권한이 취소되었습니다. 다시 설치한 뒤 다시 구독하세요",
    },
    # why an alert watch was paused, where a digest's sentence would not fit (the rest are shared)
    "watch.pause.app_uninstalled": {
        "en": "Contexta was uninstalled from this workspace; install it again, then watch the project again",
        "ko": "이 워크스페이스에서 Contexta가 삭제되었습니다. 다시 설치한 뒤 프로젝트를 다시 감시하세요",
    },
    "watch.pause.tokens_revoked": {
        "en": "Contexta's access to this workspace was revoked; install it again, then watch the project again",
        "ko": "이 워크스페이스에 대한 Contexta의 권한이 취소되었습니다. 다시 설치한 뒤 프로젝트를 다시 감시하세요",
    },
    "watch.pause.owner_access_lost": {
        "en": "you are no longer in any of the project's channels or user groups; its alerts resume by "
        "themselves (with what happens from then on) when you are again",
        "ko": "더 이상 이 프로젝트의 채널이나 사용자 그룹에 속해 있지 않습니다. 다시 속하게 되면 그때부터 일어나는 일로 "
        "알림이 자동으로 재개됩니다",
    },
    "digest.pause.token_revoked": {
        "en": "Contexta's token for this workspace was revoked; install it again",
        "ko": "이 워크스페이스의 Contexta 토큰이 취소되었습니다. 다시 설치하세요",
    },
    "digest.pause.invalid_auth": {
        "en": "Slack no longer accepts Contexta's token for this workspace; install it again",
        "ko": "Slack이 이 워크스페이스의 Contexta 토큰을 더 이상 받지 않습니다. 다시 설치하세요",
    },
    "digest.pause.account_inactive": {
        "en": "Contexta's bot account in this workspace is deactivated; install it again",
        "ko": "이 워크스페이스의 Contexta 봇 계정이 비활성화되었습니다. 다시 설치하세요",
    },
    "digest.pause.not_authed": {
        "en": "Contexta has no token for this workspace; install it again",
        "ko": "이 워크스페이스에 대한 Contexta 토큰이 없습니다. 다시 설치하세요",
    },
    "digest.pause.not_installed": {
        "en": "Contexta is not installed in this workspace any more",
        "ko": "이 워크스페이스에는 더 이상 Contexta가 설치되어 있지 않습니다",
    },
    "digest.footer": {
        "en": "Every {day} {time} {zone} · `/contexta digest unsubscribe {project}` to stop",
        "ko": "매주 {day} {time} {zone} · 중지하려면 `/contexta digest unsubscribe {project}`",
    },
    "digest.fallback": {
        "en": "Weekly digest for {project}: {parts}.",
        "ko": "{project} 주간 다이제스트: {parts}.",
    },
    "digest.fallback_runs": {
        "en": {"one": "1 new run", "other": "{count} new runs"},
        "ko": "새 실행 {count}개",
    },
    "digest.fallback_failed": {"en": " ({count} failed)", "ko": " (실패 {count}개)"},
    "digest.fallback_deploys": {
        "en": {"one": "1 new deployment", "other": "{count} new deployments"},
        "ko": "새 배포 {count}개",
    },
    "digest.fallback_nothing": {
        "en": "Weekly digest for {project}: nothing new this week.",
        "ko": "{project} 주간 다이제스트: 이번 주에는 새 소식이 없습니다.",
    },
    "digest.fallback_best": {"en": " Best {metric}: {value}.", "ko": " 최고 {metric}: {value}."},
    "digest.fallback_live": {"en": " Live: {name}.", "ko": " 운영 중: {name}."},
    # alerts (a watched project's changes, posted to the channel)
    "alert.header": {"en": "Alert · {project}", "ko": "알림 · {project}"},
    "alert.runs": {
        "en": {"one": "*1 new run* finished.", "other": "*{count} new runs* finished."},
        "ko": "*새 실행 {count}개*가 끝났습니다.",
    },
    "alert.new_best": {
        "en": ":trophy: *New best {metric}*: {run} with *{value}* ({change} over the previous best, "
        "{previous} at {previous_value})",
        "ko": ":trophy: *{metric} 최고 기록 경신*: {run}, *{value}* (이전 최고 {previous} {previous_value} 대비 {change})",
    },
    "alert.new_best_first": {
        "en": ":trophy: *First {metric} result*: {run} with *{value}*",
        "ko": ":trophy: *첫 {metric} 기록*: {run}, *{value}*",
    },
    "alert.best_is_live": {
        "en": ":rocket: It is live: production serves this run.",
        "ko": ":rocket: 운영 중: 프로덕션이 이 실행을 서비스하고 있습니다.",
    },
    "alert.best_not_live": {
        "en": "Not live: production serves {run} ({value}).",
        "ko": "운영 중 아님: 프로덕션은 {run} ({value}) 실행을 서비스하고 있습니다.",
    },
    "alert.best_no_live": {
        "en": "Not live: nothing is deployed yet.",
        "ko": "운영 중 아님: 아직 배포된 실행이 없습니다.",
    },
    "alert.deployment": {
        "en": ":rocket: *New deployment* {name} ({environment}): run {run}{value}",
        "ko": ":rocket: *새 배포* {name} ({environment}): 실행 {run}{value}",
    },
    "alert.deployment_no_run": {
        "en": ":rocket: *New deployment* {name} ({environment}), not linked to a run",
        "ko": ":rocket: *새 배포* {name} ({environment}), 연결된 실행 없음",
    },
    "alert.replaces": {
        "en": "Replaces {name}: run {run}{value}.",
        "ko": "대체된 배포 {name}: 실행 {run}{value}.",
    },
    "alert.replaces_first": {
        "en": "The first deployment in {environment}.",
        "ko": "{environment} 환경의 첫 배포입니다.",
    },
    "alert.value": {"en": " · {metric} {value}", "ko": " · {metric} {value}"},
    "alert.regression": {
        "en": ":warning: *Regression*: {metric} {value} is worse than {previous_value} of the deployment "
        "it replaces ({change}).",
        "ko": ":warning: *성능 저하*: {metric} {value}, 대체된 배포의 {previous_value}보다 나쁩니다 ({change}).",
    },
    "alert.deployments_more": {
        "en": {"one": "…and 1 more deployment", "other": "…and {count} more deployments"},
        "ko": "…배포 {count}개 더",
    },
    "alert.failure": {"en": ":x: *Run failed*: {run}{error}", "ko": ":x: *실행 실패*: {run}{error}"},
    "alert.failure_error": {"en": " — last error: {error}", "ko": " — 마지막 오류: {error}"},
    "alert.failure_no_error": {"en": " (no error event recorded)", "ko": " (기록된 오류 이벤트 없음)"},
    "alert.failures_more": {
        "en": {"one": "…and 1 more failed run", "other": "…and {count} more failed runs"},
        "ko": "…실패한 실행 {count}개 더",
    },
    "alert.footer": {
        "en": "Watching {project} for {kinds} · `/contexta unwatch {project}` to stop",
        "ko": "{project} 감시 중: {kinds} · 중지하려면 `/contexta unwatch {project}`",
    },
    "alert.kind.new-best": {"en": "new bests", "ko": "최고 기록"},
    "alert.kind.deployments": {"en": "deployments", "ko": "배포"},
    "alert.kind.failures": {"en": "failures", "ko": "실패"},
    "alert.kind.regressions": {"en": "regressions", "ko": "성능 저하"},
    "alert.fallback": {"en": "{project}: {parts}", "ko": "{project}: {parts}"},
    "alert.fb_runs": {
        "en": {"one": "1 new run", "other": "{count} new runs"},
        "ko": "새 실행 {count}개",
    },
    "alert.fb_best": {
        "en": "new best: {metric} {value} ({run})",
        "ko": "최고 기록: {metric} {value} ({run})",
    },
    "alert.fb_deployment": {"en": "new deployment: {name} → {run}", "ko": "새 배포: {name} → {run}"},
    "alert.fb_regression": {"en": "regression: {name}", "ko": "성능 저하: {name}"},
    "alert.fb_failed": {
        "en": {"one": "1 failed run", "other": "{count} failed runs"},
        "ko": "실패한 실행 {count}개",
    },
    # watch_command
    "watch_command.created": {
        "en": ":eyes: This channel will be told about {project}: {kinds}{metric}. Only what happens from now on "
        "is told.",
        "ko": ":eyes: 이 채널에 {project} 프로젝트의 {kinds} 소식을 알립니다{metric}. 지금부터 일어나는 변화만 알립니다.",
    },
    "watch_command.updated": {
        "en": ":eyes: Updated: this channel is told about {project}: {kinds}{metric}.",
        "ko": ":eyes: 변경됨: 이 채널에 {project} 프로젝트의 {kinds} 소식을 알립니다{metric}.",
    },
    "watch_command.metric": {"en": " (best by {metric})", "ko": " (최고 기준: {metric})"},
    "watch_command.list_header": {"en": "Watches in this channel", "ko": "이 채널의 감시 목록"},
    "watch_command.list_none": {
        "en": "This channel watches no project. Start with `/contexta watch <project>`.",
        "ko": "이 채널에서 감시 중인 프로젝트가 없습니다. `/contexta watch <프로젝트>`로 시작하세요.",
    },
    "watch_command.list_item": {"en": "• {project}: {kinds}{metric}", "ko": "• {project}: {kinds}{metric}"},
    "watch_command.list_paused_access": {
        "en": "\n   :double_vertical_bar: *paused*: {reason}. An admin can give this channel access with "
        "`/contexta access restrict {project} #this-channel …` or `/contexta access open {project}`.",
        "ko": "\n   :double_vertical_bar: *일시 중지됨*: {reason}. 관리자가 `/contexta access restrict {project} "
        "#이-채널 …` 또는 `/contexta access open {project}` 명령으로 이 채널에 다시 공개할 수 있습니다.",
    },
    "watch_command.list_paused_owner": {
        "en": "\n   :double_vertical_bar: *paused*: {reason}.",
        "ko": "\n   :double_vertical_bar: *일시 중지됨*: {reason}.",
    },
    "watch_command.list_paused": {
        "en": "\n   :double_vertical_bar: *paused*: {reason}. Fix it, then run `/contexta watch {project}` here.",
        "ko": "\n   :double_vertical_bar: *일시 중지됨*: {reason}. 문제를 해결한 뒤 이 채널에서 `/contexta watch {project}`"
        " 명령을 실행하세요.",
    },
    "watch_command.unwatched": {
        "en": ":wave: This channel will no longer be told about {project}.",
        "ko": ":wave: 이제 이 채널에 {project} 프로젝트 소식을 알리지 않습니다.",
    },
    "watch_command.not_watching": {
        "en": "This channel does not watch {project}. Watched here: {watched}.",
        "ko": "이 채널은 {project} 프로젝트를 감시하지 않습니다. 감시 중: {watched}.",
    },
    "watch_command.not_watching_any": {
        "en": "This channel does not watch {project}, nor any other project.",
        "ko": "이 채널은 {project} 프로젝트를 포함해 어떤 프로젝트도 감시하지 않습니다.",
    },
    "watch_command.needs_project": {
        "en": "Which project? Name one: {usage} (this channel has no default project).",
        "ko": "어느 프로젝트인가요? 프로젝트를 지정하세요: {usage} (이 채널에는 기본 프로젝트가 없습니다).",
    },
    "watch_command.needs_channel": {
        "en": "Watches belong to a channel; run this command in the channel to alert.",
        "ko": "감시는 채널 단위입니다. 알림을 받을 채널에서 이 명령을 실행하세요.",
    },
    # digest_command
    "digest_command.subscribed": {
        "en": ":white_check_mark: This channel will get the weekly digest of {project} every *{day} at "
        "{time}* ({zone}{zone_note}), in {language}. First digest: {next}.",
        "ko": ":white_check_mark: 이 채널에 {project} 주간 다이제스트를 *매주 {day} {time}*에 보냅니다 ({zone}{zone_note}, "
        "{language}). 첫 다이제스트: {next}.",
    },
    "digest_command.updated": {
        "en": ":white_check_mark: Updated: the digest of {project} now comes every *{day} at {time}* "
        "({zone}{zone_note}), in {language}. Next digest: {next}.",
        "ko": ":white_check_mark: 변경했습니다: {project} 다이제스트는 이제 *매주 {day} {time}*에 옵니다 ({zone}{zone_note}, "
        "{language}). 다음 다이제스트: {next}.",
    },
    "digest_command.resumed": {
        "en": " It was paused ({reason}); it is active again.",
        "ko": " 일시 중지 상태였으나({reason}) 다시 활성화했습니다.",
    },
    "digest_command.zone_default": {
        "en": ": Contexta's default zone; add `tz &lt;zone&gt;` to change it",
        "ko": ": Contexta 기본 시간대이며 `tz &lt;시간대&gt;`로 바꿀 수 있습니다",
    },
    "digest_command.zone_workspace": {"en": ": the workspace's zone", "ko": ": 워크스페이스 시간대"},
    "digest_command.unsubscribed": {
        "en": ":wave: This channel will no longer get the weekly digest of {projects}.",
        "ko": ":wave: 이 채널에 더 이상 {projects} 주간 다이제스트를 보내지 않습니다.",
    },
    "digest_command.list_header": {"en": "Digest subscriptions", "ko": "다이제스트 구독"},
    "digest_command.list_none": {
        "en": "This channel has no digest subscriptions. Start one with `/contexta digest subscribe "
        "&lt;project&gt;`.",
        "ko": "이 채널에는 다이제스트 구독이 없습니다. `/contexta digest subscribe <프로젝트>`로 시작하세요.",
    },
    "digest_command.list_none_all": {
        "en": "There are no digest subscriptions in this workspace.",
        "ko": "이 워크스페이스에는 다이제스트 구독이 없습니다.",
    },
    "digest_command.list_elsewhere": {
        "en": "{count} more in other channels: `/contexta digest list all`",
        "ko": "다른 채널에 {count}개 더 있습니다: `/contexta digest list all`",
    },
    "digest_command.list_item": {
        "en": "{where}{project}: every {day} {time} {zone} · {language}",
        "ko": "{where}{project}: 매주 {day} {time} {zone} · {language}",
    },
    "digest_command.list_next": {"en": "next: {when}", "ko": "다음: {when}"},
    "digest_command.list_overdue": {"en": "due now (sending shortly)", "ko": "지금 보낼 차례 (곧 전송)"},
    "digest_command.list_last": {"en": "last sent: {when}", "ko": "최근 전송: {when}"},
    "digest_command.list_never": {"en": "not sent yet", "ko": "아직 전송 안 됨"},
    "digest_command.list_paused": {
        "en": ":double_vertical_bar: *paused* since {when}: {reason}. Fix it, then run `/contexta digest "
        "subscribe {project}` here to resume.",
        "ko": ":double_vertical_bar: *일시 중지됨* ({when}부터): {reason}. 문제를 해결한 뒤 이 채널에서 `/contexta digest "
        "subscribe {project}` 명령으로 다시 시작할 수 있습니다.",
    },
    "digest_command.list_paused_access": {
        "en": ":double_vertical_bar: *paused* since {when}: {reason}. An admin can give this channel access "
        "with `/contexta access restrict {project} #this-channel …` or `/contexta access open {project}`.",
        "ko": ":double_vertical_bar: *일시 중지됨* ({when}부터): {reason}. 관리자가 `/contexta access restrict {project} "
        "#이-채널 …` 또는 `/contexta access open {project}` 명령으로 이 채널에 다시 공개할 수 있습니다.",
    },
    "digest_command.list_retry": {
        "en": ":hourglass: the {period} digest failed ({error}); retrying at {when}",
        "ko": ":hourglass: {period} 다이제스트 전송 실패 ({error}); {when}에 다시 시도합니다",
    },
    "digest_command.list_failed": {
        "en": ":x: the {period} digest was not sent ({error}); its news will be in the next one",
        "ko": ":x: {period} 다이제스트를 보내지 못했습니다 ({error}); 내용은 다음 다이제스트에 포함됩니다",
    },
    "digest_command.list_uncertain": {
        "en": ":grey_question: the {period} digest may not have been posted ({error}); it is not posted again",
        "ko": ":grey_question: {period} 다이제스트가 게시되지 않았을 수 있습니다 ({error}); 다시 게시하지 않습니다",
    },
    "digest_command.list_more": {"en": "…and {count} more", "ko": "…외 {count}개"},
    "digest_command.list_fallback": {
        "en": {"one": "1 digest subscription.", "other": "{count} digest subscriptions."},
        "ko": "다이제스트 구독 {count}개.",
    },
    "digest_command.run_due": {
        "en": "Digest run: {delivered} delivered, {retrying} retrying, {paused} paused, {failed} failed.",
        "ko": "다이제스트 실행: 전송 {delivered}개, 재시도 예정 {retrying}개, 일시 중지 {paused}개, 실패 {failed}개.",
    },
    "digest_command.run_due_unavailable": {
        "en": "`run-due` is not available here; the bot delivers due digests by itself every minute.",
        "ko": "여기서는 `run-due`를 쓸 수 없습니다. 봇이 1분마다 보낼 다이제스트를 직접 보냅니다.",
    },
    "digest_command.usage": {
        "en": "*Weekly digests* post a project summary to this channel once a week.\n"
        "• `/contexta digest subscribe [project] [weekly &lt;day&gt; &lt;HH:MM&gt;] [tz "
        "&lt;zone&gt;] [lang en|ko]` (default: Monday 09:00)\n"
        "• `/contexta digest list [all]`: subscriptions, next digest and any problem\n"
        "• `/contexta digest unsubscribe [project]`\n"
        "• `/contexta digest preview [project]`: this week's digest so far, only for you",
        "ko": "*주간 다이제스트*는 일주일에 한 번 프로젝트 요약을 이 채널에 게시합니다.\n"
        "• `/contexta digest subscribe [프로젝트] [weekly &lt;요일&gt; &lt;HH:MM&gt;] [tz &lt;시간대&gt;] "
        "[lang en|ko]` (기본: 월요일 09:00)\n"
        "• `/contexta digest list [all]`: 구독, 다음 전송 시각, 문제\n"
        "• `/contexta digest unsubscribe [프로젝트]`\n"
        "• `/contexta digest preview [프로젝트]`: 지금까지의 이번 주 다이제스트 (나에게만 표시)",
    },
    # language
    "language.en": {"en": "English", "ko": "영어"},
    "language.ko": {"en": "Korean", "ko": "한국어"},
    # trend
    "trend.summary_only_run": {
        "en": "{metric} in its only run: {last}",
        "ko": "유일한 실행의 {metric}: {last}",
    },
    # digest
    "digest.metric_only_value": {
        "en": "*{metric}* this week: {value} ({run})",
        "ko": "이번 주 *{metric}*: {value} ({run})",
    },
    # news ("what's new since I last asked")
    "news.header": {"en": "What's new · {project}", "ko": "새 소식 · {project}"},
    "news.header_all": {"en": "What's new since your last visit", "ko": "지난번 이후 새 소식"},
    "news.since": {"en": "since {when}", "ko": "{when} 이후"},
    "news.in_days": {
        "en": {"one": "in the last day", "other": "in the last {count} days"},
        "ko": "최근 {count}일 동안",
    },
    "news.summary": {"en": "{since}: {counts}", "ko": "{since}: {counts}"},
    "news.nothing": {
        "en": "Nothing new on {project} {since}.",
        "ko": "{project} 프로젝트에는 {since} 새로운 것이 없습니다.",
    },
    "news.nothing_anywhere": {
        "en": "Nothing new since your last visit.",
        "ko": "지난번 이후 새로운 것이 없습니다.",
    },
    "news.quiet": {"en": "Nothing new on {projects}.", "ko": "새로운 것 없음: {projects}"},
    "news.runs": {
        "en": {"one": "*1 run* ({detail})", "other": "*{count} runs* ({detail})"},
        "ko": "*실행 {count}개* ({detail})",
    },
    "news.started": {"en": "{count} new", "ko": "새 실행 {count}"},
    "news.completed": {"en": "{count} completed", "ko": "완료 {count}"},
    "news.failed": {"en": "{count} failed", "ko": "실패 {count}"},
    "news.deployments": {
        "en": {"one": "*1 deployment*", "other": "*{count} deployments*"},
        "ko": "*배포 {count}건*",
    },
    "news.best": {
        "en": "*New best:* {run} — {metric} *{value}* ({margin} over {previous}, {previous_value})",
        "ko": "*새 최고 기록:* {run} — {metric} *{value}* ({previous} {previous_value} 대비 {margin})",
    },
    "news.best_first": {
        "en": "*New best:* {run} — {metric} *{value}* (the first run to record it)",
        "ko": "*새 최고 기록:* {run} — {metric} *{value}* (이 지표를 처음 기록한 실행)",
    },
    "news.best_live": {"en": "live in production", "ko": "현재 프로덕션에서 운영 중"},
    "news.best_not_live": {"en": "not deployed", "ko": "아직 배포되지 않음"},
    "news.failures": {
        "en": {"one": ":x: *1 failure*", "other": ":x: *{count} failures*"},
        "ko": ":x: *실패 {count}건*",
    },
    "news.failure": {"en": "{run} failed {when}", "ko": "{run} 실패 ({when})"},
    "news.no_error_event": {"en": "no error event recorded", "ko": "기록된 오류 이벤트 없음"},
    "news.deploys": {
        "en": {"one": ":rocket: *1 deployment*", "other": ":rocket: *{count} deployments*"},
        "ko": ":rocket: *배포 {count}건*",
    },
    "news.deployment": {
        "en": "{deployment} → {run} ({status}, {when})",
        "ko": "{deployment} → {run} ({status}, {when})",
    },
    "news.run_list": {
        "en": {"one": "*1 run started or finished*", "other": "*{count} runs started or finished*"},
        "ko": "*시작했거나 끝난 실행 {count}개*",
    },
    "news.and_more": {"en": {"one": "and 1 more", "other": "and {count} more"}, "ko": "외 {count}개 더"},
    "news.more_projects": {
        "en": {"one": "1 more project has news.", "other": "{count} more projects have news."},
        "ko": "새 소식이 있는 프로젝트가 {count}개 더 있습니다.",
    },
    "news.fallback": {"en": "What's new on {project}: {summary}", "ko": "{project} 새 소식: {summary}"},
    "news.fallback_all": {"en": "What's new on {projects}", "ko": "새 소식: {projects}"},
    "home.news": {"en": "*Since your last visit*", "ko": "*지난 방문 이후*"},
    "home.news_first": {"en": "*This week*", "ko": "*이번 주*"},
    "home.news_none": {
        "en": "Nothing new since your last visit.",
        "ko": "지난 방문 이후 새로운 것이 없습니다.",
    },
    "home.news_none_first": {
        "en": "Nothing new in the last 7 days.",
        "ko": "최근 7일 동안 새로운 것이 없습니다.",
    },
    "home.news_hint": {
        "en": "Ask `/contexta news` for the details; asking marks them as seen.",
        "ko": "자세한 내용은 `/contexta news`로 물어보세요. 물어보면 본 것으로 표시됩니다.",
    },
    "help.cmd.news": {
        "en": "what changed since you last asked (runs, a new best, deployments, failures)",
        "ko": "지난번 질문 이후 바뀐 것 (실행, 새 최고 기록, 배포, 실패)",
    },
    "clarify.reading.news": {"en": "what's new{of}", "ko": "{of}새 소식"},
    "command_error.bad_since": {
        "en": "`--since` takes a span or a moment, e.g. {examples}; got {value}",
        "ko": "`--since`에는 기간이나 시각을 주세요 (예: {examples}). 입력: {value}",
    },
    "command_error.since_in_future": {
        "en": "`--since` {value} is in the future",
        "ko": "`--since` {value}는 미래 시각입니다.",
    },
    "error.naive_time": {
        "en": "A time without a time zone: {value}",
        "ko": "시간대가 없는 시각입니다: {value}",
    },
    "error.news_period_reversed": {
        "en": "The period ends ({until}) before it starts ({since}).",
        "ko": "기간의 끝({until})이 시작({since})보다 앞섭니다.",
    },
    # errors: how a refusal reads. `error.<code>` is filled with the error's details (see
    # bot.error_messages); the hint keys below add the closest names or the known ones.
    "error.try": {"en": "Did you mean {names}?", "ko": "혹시 {names}을(를) 찾으시나요?"},
    "error.hint": {
        "en": "`/contexta help` lists what I can do.",
        "ko": "`/contexta help`로 사용법을 볼 수 있습니다.",
    },
    "error.unexpected": {
        "en": "Sorry, something went wrong on my side while answering. Please try again in a moment.",
        "ko": "죄송합니다. 답변하는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
    "error.unknown_code": {
        "en": "The request could not be carried out (error `{code}`).",
        "ko": "요청을 처리할 수 없습니다 (오류 코드 `{code}`).",
    },
    # project access (`/contexta access …`)
    "help.cmd.access": {
        "en": "who may see a project: restrict it to channels (admins), open it, show its rules",
        "ko": "프로젝트 공개 범위: 채널로 제한(관리자), 전체 공개, 규칙 보기",
    },
    "access.usage": {
        "en": "*Project access* — a project is open to the whole workspace unless restricted to channels.\n"
        "• `/contexta access restrict <project> #channel … [@usergroup …]` — answered only in those channels, "
        "and in DMs and the Home tab only to their members (admins only)\n"
        "• `/contexta access open <project>` — open to the whole workspace again (admins only)\n"
        "• `/contexta access show [project]` — the rules and who changed them when",
        "ko": "*프로젝트 공개 범위* — 채널로 제한하지 않은 프로젝트는 워크스페이스 전체에 공개됩니다.\n"
        "• `/contexta access restrict <프로젝트> #채널 … [@사용자그룹 …]` — 그 채널에서만 답하고, DM과 홈 탭에서는 "
        "그 멤버에게만 답합니다 (관리자 전용)\n"
        "• `/contexta access open <프로젝트>` — 다시 워크스페이스 전체에 공개 (관리자 전용)\n"
        "• `/contexta access show [프로젝트]` — 규칙과 변경 이력",
    },
    "access.state_open": {"en": "open to the whole workspace", "ko": "워크스페이스 전체 공개"},
    "access.state_restricted": {"en": "only in {channels}", "ko": "{channels} 채널에서만"},
    "access.state_groups": {
        "en": "; in private also to members of {groups}",
        "ko": "; DM과 홈 탭에서는 {groups} 그룹 멤버에게도",
    },
    "access.restricted": {
        "en": ":lock: {project} is now visible {state}. Before: {before}.",
        "ko": ":lock: 이제 {project} 프로젝트는 {state} 볼 수 있습니다. 이전: {before}.",
    },
    "access.opened": {
        "en": ":unlock: {project} is open to the whole workspace again. Before: {before}.",
        "ko": ":unlock: {project} 프로젝트를 다시 워크스페이스 전체에 공개했습니다. 이전: {before}.",
    },
    "access.unchanged": {
        "en": "{project} already is {state}; nothing changed.",
        "ko": "{project} 프로젝트는 이미 {state} 상태입니다. 바뀐 것은 없습니다.",
    },
    "access.paused": {
        "en": {
            "one": ":double_vertical_bar: Paused 1 digest subscription that lost access: {targets}.",
            "other": ":double_vertical_bar: Paused {count} digest subscriptions that lost access: {targets}.",
        },
        "ko": ":double_vertical_bar: 접근 권한을 잃은 다이제스트 구독 {count}개를 일시 중지했습니다: {targets}.",
    },
    "access.resumed": {
        "en": {
            "one": ":arrow_forward: Resumed 1 digest subscription that has access again: {targets}.",
            "other": ":arrow_forward: Resumed {count} digest subscriptions that have access again: {targets}.",
        },
        "ko": ":arrow_forward: 다시 접근할 수 있게 된 다이제스트 구독 {count}개를 재개했습니다: {targets}.",
    },
    "access.paused_watches": {
        "en": {
            "one": ":double_vertical_bar: Paused 1 alert watch that lost access: {targets}.",
            "other": ":double_vertical_bar: Paused {count} alert watches that lost access: {targets}.",
        },
        "ko": ":double_vertical_bar: 접근 권한을 잃은 알림 감시 {count}개를 일시 중지했습니다: {targets}.",
    },
    "access.resumed_watches": {
        "en": {
            "one": ":arrow_forward: Resumed 1 alert watch that has access again: {targets}.",
            "other": ":arrow_forward: Resumed {count} alert watches that have access again: {targets}.",
        },
        "ko": ":arrow_forward: 다시 접근할 수 있게 된 알림 감시 {count}개를 재개했습니다: {targets}.",
    },
    "access.show_header": {"en": "Access · {project}", "ko": "공개 범위 · {project}"},
    "access.show_state": {"en": "*Visible:* {state}", "ko": "*공개 범위:* {state}"},
    "access.history_header": {"en": "*Changes* (newest first)", "ko": "*변경 이력* (최신순)"},
    "access.history_none": {"en": "No change recorded yet.", "ko": "기록된 변경이 아직 없습니다."},
    "access.history_item": {
        "en": "{when} · {who} {action}: {before} → {after}",
        "ko": "{when} · {who} {action}: {before} → {after}",
    },
    "access.action.restrict": {"en": "restricted it", "ko": "제한함"},
    "access.action.open": {"en": "opened it", "ko": "공개함"},
    "access.by_operator": {"en": "operator {who} (CLI)", "ko": "운영자 {who} (CLI)"},
    "access.show_fallback": {"en": "Access of {project}: {state}", "ko": "{project} 공개 범위: {state}"},
    "access.list_header": {"en": "Project access", "ko": "프로젝트 공개 범위"},
    "access.list_none": {
        "en": "Every project you can see here is open to the whole workspace.",
        "ko": "여기서 볼 수 있는 프로젝트는 모두 워크스페이스 전체에 공개되어 있습니다.",
    },
    "access.list_item": {"en": "{project}: {state}", "ko": "{project}: {state}"},
    "access.list_open": {
        "en": {
            "one": "1 more project is open to the whole workspace.",
            "other": "{count} more projects are open to the whole workspace.",
        },
        "ko": "그 밖의 프로젝트 {count}개는 워크스페이스 전체에 공개되어 있습니다.",
    },
    "access.list_hint": {
        "en": "Details and changes: `/contexta access show <project>`",
        "ko": "자세한 규칙과 변경 이력: `/contexta access show <프로젝트>`",
    },
    "access.list_fallback": {
        "en": {"one": "1 restricted project", "other": "{count} restricted projects"},
        "ko": "제한된 프로젝트 {count}개",
    },
    "digest.pause.access_restricted": {
        "en": "the project is no longer shared with this channel; it resumes by itself if access is given back",
        "ko": "이 프로젝트가 더 이상 이 채널에 공개되지 않습니다. 다시 공개되면 자동으로 재개됩니다",
    },
    "digest.pause.owner_access_lost": {
        "en": "you are no longer in any of the project's channels or user groups; it resumes by itself "
        "when you are again",
        "ko": "더 이상 이 프로젝트의 채널이나 사용자 그룹에 속해 있지 않습니다. 다시 속하게 되면 자동으로 재개됩니다",
    },
    "error.access_admins_only": {
        "en": "only workspace admins and owners (or people listed in {setting}) may change who sees a project",
        "ko": "프로젝트 공개 범위는 워크스페이스 관리자와 소유자({setting}에 등록된 사람 포함)만 바꿀 수 있습니다.",
    },
    "error.access_unknown_channel": {
        "en": "no channel {channel} that the bot can see; check the name, or invite the bot to a private "
        "channel first (`/invite @Contexta`)",
        "ko": "봇이 볼 수 있는 {channel} 채널이 없습니다. 이름을 확인하거나, 비공개 채널이면 먼저 봇을 초대하세요 "
        "(`/invite @Contexta`).",
    },
    "error.access_unknown_usergroup": {
        "en": "no user group {usergroup} in this workspace",
        "ko": "이 워크스페이스에 {usergroup} 사용자 그룹이 없습니다.",
    },
    "error.access_lookup_failed": {
        "en": "Slack did not answer while checking channels, user groups or admins; please try again in a moment",
        "ko": "채널, 사용자 그룹 또는 관리자 여부를 확인하는 동안 Slack이 응답하지 않았습니다. 잠시 후 다시 시도하세요.",
    },
    "error.access_no_channels": {
        "en": "name at least one channel to restrict the project to, e.g. `#ml-secret`",
        "ko": "프로젝트를 제한할 채널을 하나 이상 지정하세요. 예: `#ml-secret`",
    },
    "error.access_bad_target": {
        "en": "that is not a usable {kind}",
        "ko": "사용할 수 없는 {kind} 값입니다.",
    },
    "error.access_too_many": {
        "en": "a project can be restricted to at most {limit} of each ({kind})",
        "ko": "프로젝트는 종류({kind})마다 최대 {limit}개까지 제한할 수 있습니다.",
    },
    "error.access_actor_missing": {
        "en": "an access change needs to say who made it",
        "ko": "공개 범위 변경에는 변경한 사람이 필요합니다.",
    },
    "command_error.access_unknown_action": {
        "en": "unknown access action {action}; use one of `restrict`, `open`, `show`",
        "ko": "알 수 없는 access 동작 {action}입니다. `restrict`, `open`, `show` 중 하나를 쓰세요.",
    },
    "command_error.access_bad_target": {
        "en": "{word} is not a channel or user group; mention it, e.g. `#ml-secret`",
        "ko": "{word} 값은 채널이나 사용자 그룹이 아닙니다. `#ml-secret`처럼 멘션하세요.",
    },
    "command_error.access_unexpected_word": {
        "en": "unexpected {word} (the project is {project}); usage: {usage}",
        "ko": "예상하지 못한 단어 {word} (프로젝트는 {project}). 사용법: {usage}",
    },
    "command_error.access_project_missing": {
        "en": "name the project; usage: {usage}",
        "ko": "프로젝트를 지정하세요. 사용법: {usage}",
    },
    "command_error.access_no_channels": {
        "en": "name at least one channel to restrict {project} to; usage: {usage}",
        "ko": "{project} 프로젝트를 제한할 채널을 하나 이상 지정하세요. 사용법: {usage}",
    },
    "command_error.access_targets_unexpected": {
        "en": "{action} takes no channels or user groups; usage: {usage}",
        "ko": "{action} 동작에는 채널이나 사용자 그룹을 지정하지 않습니다. 사용법: {usage}",
    },
    # command errors: `command_error.<code>` for a `CommandError` of `contexta_core.ask.commands`
    # (or a button's), filled with its details by bot.error_messages.describe_command_error.
    "command_error.bad_command": {
        "en": "I could not understand that command.",
        "ko": "명령을 이해하지 못했습니다.",
    },
    "command_error.button_expired": {
        "en": "this button has expired",
        "ko": "이 버튼은 만료되었습니다. 다시 질문해 주세요.",
    },
    "command_error.unknown_subcommand": {
        "en": "unknown subcommand {word}; did you mean {suggestions}?",
        "ko": "알 수 없는 하위 명령입니다: {word}. 혹시 {suggestions}을(를) 찾으시나요?",
    },
    "command_error.unknown_subcommand_no_match": {
        "en": "unknown subcommand {word}; valid subcommands: {valid}",
        "ko": "알 수 없는 하위 명령입니다: {word}. 사용할 수 있는 하위 명령: {valid}",
    },
    "command_error.bad_page": {
        "en": "`--page` needs a positive whole number, got {value}",
        "ko": "`--page`에는 1 이상의 정수를 주세요 (받은 값: {value}).",
    },
    "command_error.too_long": {
        "en": "command is too long ({length} characters; the limit is {limit})",
        "ko": "명령이 너무 깁니다 ({length}자, 최대 {limit}자).",
    },
    "command_error.flag_takes_no_value": {
        "en": "{option} is a flag and takes no value",
        "ko": "{option} 옵션은 값을 받지 않는 플래그입니다.",
    },
    "command_error.option_needs_value": {
        "en": "{option} needs a value, e.g. {example}",
        "ko": "{option} 옵션에는 값이 필요합니다. 예: {example}",
    },
    "command_error.unknown_option": {
        "en": "unknown option {option}; valid options: {valid}",
        "ko": "알 수 없는 옵션입니다: {option}. 사용할 수 있는 옵션: {valid}",
    },
    "command_error.takes_no_arguments": {
        "en": "{subcommand} takes no arguments (got {got}); usage: {usage}",
        "ko": "{subcommand} 명령은 인자를 받지 않습니다 ({got}개를 받음). 사용법: {usage}",
    },
    "command_error.takes_exactly": {
        "en": {
            "one": "{subcommand} takes exactly 1 argument (got {got}); usage: {usage}",
            "other": "{subcommand} takes exactly {count} arguments (got {got}); usage: {usage}",
        },
        "ko": "{subcommand} 명령에는 인자가 정확히 {count}개 필요합니다 ({got}개를 받음). 사용법: {usage}",
    },
    "command_error.takes_at_most": {
        "en": {
            "one": "{subcommand} takes at most 1 argument (got {got}); usage: {usage}",
            "other": "{subcommand} takes at most {count} arguments (got {got}); usage: {usage}",
        },
        "ko": "{subcommand} 명령은 인자를 최대 {count}개까지 받습니다 ({got}개를 받음). 사용법: {usage}",
    },
    "command_error.takes_at_least": {
        "en": {
            "one": "{subcommand} takes at least 1 argument (got {got}); usage: {usage}",
            "other": "{subcommand} takes at least {count} arguments (got {got}); usage: {usage}",
        },
        "ko": "{subcommand} 명령에는 인자가 최소 {count}개 필요합니다 ({got}개를 받음). 사용법: {usage}",
    },
    "command_error.unknown_digest_action": {
        "en": "unknown digest action {action}; use one of {valid}",
        "ko": "알 수 없는 다이제스트 동작입니다: {action}. 다음 중 하나를 쓰세요: {valid}",
    },
    "command_error.second_project": {
        "en": "unexpected {word} (the project is {project}); usage: {usage}",
        "ko": "예상하지 못한 단어입니다: {word} (프로젝트는 {project}). 사용법: {usage}",
    },
    "error.no_projects": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "error.need_project": {
        "en": "Which project? Name one, e.g. `/contexta runs churn-prediction`, or set a default with `/contexta use &lt;project&gt;`.",
        "ko": "어느 프로젝트인가요? `/contexta runs churn-prediction`처럼 지정하거나 `/contexta use &lt;project&gt;`로 기본값을 정하세요.",
    },
    "error.suggest": {"en": "; did you mean {names}?", "ko": " 혹시 {names}을(를) 찾으시나요?"},
    "error.or": {"en": " or ", "ko": " 또는 "},
    "error.known": {"en": "; known {kinds}: {names}{more}", "ko": " 있는 {kinds}: {names}{more}"},
    "error.known_more": {"en": " and {count} more", "ko": " 외 {count}개"},
    "error.none_yet": {"en": " (there are no {kinds} yet)", "ko": " (아직 {kinds} 없음)"},
    "error.kinds.project": {"en": "projects", "ko": "프로젝트"},
    "error.kinds.run": {"en": "runs", "ko": "실행"},
    "error.kinds.metric": {"en": "metrics", "ko": "지표"},
    "error.kinds.stage": {"en": "stages", "ko": "단계"},
    "error.kinds.deployment": {"en": "deployments", "ko": "배포"},
    "error.unknown_run_count": {
        "en": " ({count} unknown run ids in all)",
        "ko": " (찾을 수 없는 실행 ID는 모두 {count}개입니다)",
    },
    # error families (the class's code, for an error raised without a specific one)
    "error.contexta_error": {
        "en": "The request could not be carried out.",
        "ko": "요청을 처리할 수 없습니다.",
    },
    "error.validation_error": {"en": "A value is not valid.", "ko": "값이 올바르지 않습니다."},
    "error.invalid_config": {"en": "The configuration is not valid.", "ko": "설정이 올바르지 않습니다."},
    "error.not_found": {"en": "Nothing by that name was found.", "ko": "그런 이름을 찾을 수 없습니다."},
    "error.import_source_unreadable": {
        "en": "The import source cannot be read.",
        "ko": "가져올 원본을 읽을 수 없습니다.",
    },
    "error.import_source_locked": {
        "en": "The import source is in use by another process; try again shortly.",
        "ko": "가져올 원본을 다른 프로세스가 사용 중입니다. 잠시 후 다시 시도하세요.",
    },
    "error.import_extra_missing": {
        "en": "Importing needs the import extra: pip install 'contexta-onboarding[import]'.",
        "ko": "가져오기에는 import 추가 패키지가 필요합니다: pip install 'contexta-onboarding[import]'.",
    },
    "error.integrity_violation": {
        "en": "This would break the workspace's records; nothing was written.",
        "ko": "워크스페이스 기록의 무결성이 깨지므로 아무것도 저장하지 않았습니다.",
    },
    "error.invalid_query": {
        "en": "The request is not usable as given.",
        "ko": "요청 내용을 그대로 처리할 수 없습니다.",
    },
    "error.invalid_schedule": {"en": "The schedule is not usable.", "ko": "일정이 올바르지 않습니다."},
    # projects, runs, metrics, stages
    "error.project_missing": {
        "en": "no project given; name one, e.g. `churn-prediction`",
        "ko": "프로젝트를 지정하지 않았습니다. `churn-prediction`처럼 이름을 넣어 주세요.",
    },
    "error.unknown_project": {"en": "no project {project}", "ko": "{project} 프로젝트가 없습니다."},
    "error.unknown_run": {"en": "no run {run}", "ko": "{run} 실행을 찾을 수 없습니다."},
    "error.ambiguous_run_id": {
        "en": "run id {run} is ambiguous: it names {refs}; pass the full ref",
        "ko": "실행 ID {run}에 해당하는 실행이 여럿입니다({refs}). 전체 ref를 지정해 주세요.",
    },
    "error.run_ids_not_a_list": {
        "en": "run_ids must be a list of run ids, not a single string",
        "ko": "`run_ids`에는 실행 ID 하나가 아니라 실행 ID 목록을 넘겨야 합니다.",
    },
    "error.run_ids_empty": {
        "en": "no run ids given; pass at least one",
        "ko": "실행 ID가 없습니다. 하나 이상 넘겨 주세요.",
    },
    "error.run_id_not_text": {
        "en": "run id {value} is not text",
        "ko": "실행 ID는 문자열이어야 합니다: {value}",
    },
    "error.unknown_stage": {"en": "no stage {stage}", "ko": "{stage} 단계가 없습니다."},
    "error.unknown_metric": {
        "en": "no metric {metric} in stage {stage}",
        "ko": "{stage} 단계에 {metric} 지표가 없습니다.",
    },
    "error.unknown_run_level_metric": {
        "en": "no metric {metric} at run level",
        "ko": "실행 수준에 {metric} 지표가 없습니다.",
    },
    "error.metric_elsewhere": {
        "en": "metric {metric} is not recorded in stage {stage}; it is recorded in: {elsewhere}",
        "ko": "{metric} 지표는 {stage} 단계에 기록되어 있지 않습니다. 기록된 곳: {elsewhere}.",
    },
    "error.metric_not_at_run_level": {
        "en": "metric {metric} is not recorded at run level; it is recorded in: {elsewhere}",
        "ko": "{metric} 지표는 실행 수준에 기록되어 있지 않습니다. 기록된 곳: {elsewhere}.",
    },
    "error.ambiguous_metric": {
        "en": "metric {metric} is recorded in several stages ({stages}); name the stage, e.g. {example}",
        "ko": "{metric} 지표는 여러 단계({stages})에 기록되어 있어 단계를 지정해야 합니다(예: {example}).",
    },
    "error.unknown_aggregation": {
        "en": "aggregation {aggregation} is not one of {allowed}",
        "ko": "지원하지 않는 집계 방식입니다: {aggregation}. 가능한 값: {allowed}.",
    },
    "error.unknown_status": {
        "en": "status {status} is not one of {allowed}",
        "ko": "알 수 없는 실행 상태입니다: {status}. 가능한 값: {allowed}.",
    },
    "error.invalid_limit": {
        "en": "limit must be a positive whole number, got {value}",
        "ko": "`limit` 값은 1 이상의 정수여야 합니다 (받은 값: {value}).",
    },
    "error.invalid_offset": {
        "en": "offset must be zero or a positive whole number, got {value}",
        "ko": "`offset` 값은 0 이상의 정수여야 합니다 (받은 값: {value}).",
    },
    "error.invalid_direction": {
        "en": "higher_is_better must be true or false",
        "ko": "`higher_is_better` 값은 `true` 또는 `false`여야 합니다.",
    },
    "error.nothing_to_report": {
        "en": "project {project} has no runs yet, so there is nothing to report",
        "ko": "{project} 프로젝트에는 아직 실행이 없어 리포트할 내용이 없습니다.",
    },
    "error.unknown_report_format": {
        "en": "report format {format} is not one of {allowed}",
        "ko": "지원하지 않는 리포트 형식입니다: {format}. 가능한 형식: {allowed}.",
    },
    "error.run_exists": {
        "en": "run {run} already exists; give this run another name or run_id",
        "ko": "{run} 실행이 이미 있습니다. 다른 이름이나 `run_id`를 지정하세요.",
    },
    "error.run_not_open": {
        "en": "run {run} is not open; log inside its `with` block",
        "ko": "{run} 실행은 열려 있지 않습니다. `with` 블록 안에서 기록하세요.",
    },
    # the store and its contract
    "error.unknown_ref": {"en": "nothing is stored under {ref}", "ko": "{ref}에 해당하는 항목이 없습니다."},
    "error.missing_owner": {
        "en": "{ref} does not exist; store it before what belongs to it (nothing was written)",
        "ko": "{ref} 항목이 없습니다. 여기에 속한 기록보다 먼저 저장하세요 (아무것도 저장하지 않았습니다).",
    },
    "error.project_name_taken": {
        "en": "project name {name} is already used by {ref}; project names must be unique",
        "ko": "프로젝트 이름이 이미 쓰이고 있습니다: {name} ({ref}). 프로젝트 이름은 겹칠 수 없습니다.",
    },
    "error.unsupported_record_type": {
        "en": "record #{index} is a {type}; the record store accepts `MetricRecord` and `StructuredEventRecord` (nothing of this batch was written)",
        "ko": "{index}번 기록의 형식({type})은 저장할 수 없습니다. `MetricRecord`와 `StructuredEventRecord`만 받습니다 (이 배치는 저장하지 않았습니다).",
    },
    "error.duplicate_record_in_batch": {
        "en": "record ref {ref} appears twice in this batch (nothing was written)",
        "ko": "이 배치에 같은 기록 ref가 두 번 있습니다: {ref} (아무것도 저장하지 않았습니다).",
    },
    "error.duplicate_record": {
        "en": "record ref {ref} is already stored ({count} of this batch are); records are append-only (nothing of this batch was written)",
        "ko": "이미 저장된 기록입니다: {ref} (이 배치 중 {count}개). 기록은 추가만 할 수 있습니다 (이 배치는 저장하지 않았습니다).",
    },
    "error.database_unreachable": {
        "en": "cannot open the workspace database {source}",
        "ko": "워크스페이스 데이터베이스를 열 수 없습니다: {source}",
    },
    "error.database_url_invalid": {
        "en": "the workspace database URL {source} is not usable",
        "ko": "워크스페이스 데이터베이스 URL을 사용할 수 없습니다: {source}",
    },
    "error.schema_too_new": {
        "en": "this workspace's schema is at revision {revision}, newer than this Contexta knows (up to {head}); upgrade contexta-onboarding to open it",
        "ko": "이 워크스페이스의 스키마(리비전 {revision})는 이 Contexta가 아는 것({head})보다 새롭습니다. `contexta-onboarding`을 업그레이드하세요.",
    },
    "error.unsupported_database_url": {
        "en": "unsupported database URL scheme {scheme}; use `sqlite:///path/to/contexta.db` or `postgresql+psycopg://user@host:5432/dbname`",
        "ko": "지원하지 않는 데이터베이스 URL 형식입니다: {scheme}. `sqlite:///…` 또는 `postgresql+psycopg://…` 형식을 쓰세요.",
    },
    "error.workspace_missing": {
        "en": "workspace folder {path} does not exist",
        "ko": "워크스페이스 폴더가 없습니다: {path}",
    },
    "error.workspace_is_a_file": {
        "en": "workspace path {path} is a file; it must be a folder",
        "ko": "워크스페이스 경로가 폴더가 아니라 파일입니다: {path}",
    },
    "error.contract_invalid": {
        "en": "invalid {model}: check {fields}",
        "ko": "{model} 값이 올바르지 않습니다. 확인할 필드: {fields}.",
    },
    "error.invalid_metric_key": {
        "en": "metric key {value} must be lower-case letters and digits joined by - _ . or /, like `accuracy`",
        "ko": "지표 이름이 올바르지 않습니다: {value}. 소문자와 숫자를 - _ . / 로 이어 쓰세요 (예: `accuracy`).",
    },
    "error.invalid_name": {
        "en": "{field} {value} must be lower-case letters, digits and single hyphens, like `evaluate`",
        "ko": "{field} 값이 올바르지 않습니다: {value}. 소문자, 숫자, 하이픈 하나씩으로 쓰세요 (예: `evaluate`).",
    },
    "error.name_without_letters": {
        "en": "name {value} has no letters or digits to build a ref from",
        "ko": "이름에 ref를 만들 글자나 숫자가 없습니다: {value}",
    },
    "error.ref_not_text": {
        "en": "{field} must be text like {example}",
        "ko": "{field} 값은 {example} 같은 문자열이어야 합니다.",
    },
    "error.ref_too_long": {
        "en": "{field} is {length} characters long; at most 255 are allowed",
        "ko": "{field} 값이 너무 깁니다 ({length}자, 최대 255자).",
    },
    "error.ref_without_kind": {
        "en": "{field} {value} has no kind; expected one like {example}",
        "ko": "{field} 값에 종류가 없습니다: {value}. {example} 형식으로 쓰세요.",
    },
    "error.ref_of_another_kind": {
        "en": "{field} {value} is another kind of ref; expected one like {example}",
        "ko": "{field} 값의 종류가 다릅니다: {value}. {example} 형식으로 쓰세요.",
    },
    "error.ref_with_wrong_parts": {
        "en": "{field} {value} has the wrong number of dot-separated parts; expected one like {example}",
        "ko": "{field} 값의 점(.)으로 나뉜 부분 수가 맞지 않습니다: {value}. {example} 형식으로 쓰세요.",
    },
    "error.ref_with_bad_component": {
        "en": "{field} {value}: component {component} must be lower-case letters, digits and single hyphens (at most 63 characters)",
        "ko": "{field} 값 {value}의 {component} 부분은 소문자, 숫자, 하이픈 하나씩으로 63자 이하여야 합니다.",
    },
    # digests
    "error.invalid_weekday": {
        "en": "{value} is not a day of the week; use one of {allowed}",
        "ko": "요일이 아닙니다: {value}. 다음 중 하나를 쓰세요: {allowed}.",
    },
    "error.invalid_time_of_day": {
        "en": "{value} is not a time of day; use 24-hour `HH:MM`, e.g. `09:00`",
        "ko": "시각이 아닙니다: {value}. 24시간제 `HH:MM`으로 쓰세요 (예: `09:00`).",
    },
    "error.timezone_missing": {
        "en": "no time zone given; use an IANA name such as `Asia/Seoul`",
        "ko": "시간대를 지정하지 않았습니다. `Asia/Seoul` 같은 IANA 이름을 쓰세요.",
    },
    "error.weekly_needs_day_and_time": {
        "en": "{word} needs a day and a time, e.g. {example}",
        "ko": "{word} 뒤에는 요일과 시각이 필요합니다. 예: {example}",
    },
    "error.zone_needs_value": {
        "en": "{word} needs a zone, e.g. {example}",
        "ko": "{word} 뒤에는 시간대가 필요합니다. 예: {example}",
    },
    "error.language_needs_value": {
        "en": "{word} needs `en` or `ko`",
        "ko": "{word} 뒤에는 `en` 또는 `ko`가 필요합니다.",
    },
    "error.at_needs_time": {
        "en": "{word} needs a time, e.g. {example}",
        "ko": "{word} 뒤에는 시각이 필요합니다. 예: {example}",
    },
    "error.unknown_timezone": {"en": "unknown time zone {zone}", "ko": "알 수 없는 시간대입니다: {zone}."},
    "error.invalid_language": {
        "en": "{value} is not a digest language; use `en` or `ko`",
        "ko": "다이제스트 언어가 아닙니다: {value}. `en` 또는 `ko`를 쓰세요.",
    },
    "error.digest_target_missing": {
        "en": "a digest needs a target (a channel) to post to",
        "ko": "다이제스트를 보낼 곳(채널)이 없습니다.",
    },
    "error.digest_period_reversed": {
        "en": "a digest period must not end before it starts",
        "ko": "다이제스트 기간의 끝이 시작보다 앞설 수 없습니다.",
    },
    "error.no_subscription": {
        "en": "there is no digest subscription here",
        "ko": "이 채널에는 다이제스트 구독이 없습니다.",
    },
    "error.no_subscription_for_project": {
        "en": "this channel has no digest subscription for {project}",
        "ko": "이 채널에는 {project} 다이제스트 구독이 없습니다.",
    },
    "error.subscription_ambiguous": {
        "en": "this channel has {count} digest subscriptions ({projects}); name the project to unsubscribe from",
        "ko": "이 채널의 다이제스트 구독은 {count}개입니다({projects}). 구독을 취소할 프로젝트를 지정하세요.",
    },
    "error.unknown_subscription": {
        "en": "this channel has no digest subscription for {project}; subscribed here: {subscribed}",
        "ko": "이 채널에는 {project} 다이제스트 구독이 없습니다. 구독 중인 프로젝트: {subscribed}.",
    },
    "error.digest_project_needed": {
        "en": "name a project, e.g. {example}; projects: {projects}",
        "ko": "프로젝트를 지정하세요 (예: {example}). 프로젝트: {projects}.",
    },
    "error.digest_usage": {"en": "usage: {usage}", "ko": "사용법: {usage}"},
    # command grammar errors (``CommandError.code``), worded from their details
    "command_error.watch_unknown_kind": {
        "en": "unknown alert kind {kind}; use {allowed}",
        "ko": "알 수 없는 알림 종류: {kind}. 사용할 수 있는 종류: {allowed}",
    },
    "command_error.watch_option": {
        "en": "`watch` takes only `--metric`; usage: {usage}",
        "ko": "`watch` 명령에는 `--metric` 옵션만 쓸 수 있습니다. 사용법: {usage}",
    },
    "command_error.watch_list_extra": {
        "en": "`watch list` takes nothing more; usage: {usage}",
        "ko": "`watch list` 뒤에는 아무것도 붙이지 않습니다. 사용법: {usage}",
    },
    "error.unknown_alert_kind": {
        "en": "unknown alert kind {kind}; use {allowed}",
        "ko": "알 수 없는 알림 종류: {kind}. 사용할 수 있는 종류: {allowed}",
    },
    "error.watch_needs_channel": {
        "en": "watches belong to a channel; run this command in the channel to alert",
        "ko": "감시는 채널 단위입니다. 알림을 받을 채널에서 이 명령을 실행하세요.",
    },
    "error.team_ambiguous": {
        "en": "this database holds {count} teams ({teams}); name one with --team",
        "ko": "이 데이터베이스에는 팀이 {count}개 있습니다 ({teams}). --team으로 하나를 지정하세요.",
    },
    "error.unknown_team": {
        "en": "no team {team} here; teams: {teams}",
        "ko": "{team} 팀이 없습니다. 있는 팀: {teams}",
    },
    # Bolt answers these itself, before any request has a language: shown in both languages at once.
    "app.not_installed": {
        "en": ":warning: Contexta is not installed in this workspace any more. Ask a workspace admin to "
        "install it again.",
        "ko": ":warning: 이 워크스페이스에는 더 이상 Contexta가 설치되어 있지 않습니다. 워크스페이스 관리자에게 다시 "
        "설치해 달라고 요청하세요.",
    },
    "app.auth_failure": {
        "en": ":warning: Contexta could not reach Slack to check its token. Please try again shortly.",
        "ko": ":warning: Contexta가 토큰을 확인하려고 Slack에 연결하지 못했습니다. 잠시 후 다시 시도하세요.",
    },
}
