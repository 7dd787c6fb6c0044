"""Every user-facing string, in English and Korean; answers use the language the question was asked in.

Placeholders are filled with text the renderer has already made safe for mrkdwn. Korean
strings avoid particles that depend on the preceding word (을/를, 이/가) after placeholders.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # paging
    "page.position": {"en": "Showing {start}–{end} of {total}", "ko": "{total}개 중 {start}–{end}"},
    "page.more": {"en": "Show more", "ko": "더 보기"},
    # statuses
    "status.completed": {"en": "completed", "ko": "완료"},
    "status.failed": {"en": "failed", "ko": "실패"},
    "status.open": {"en": "running", "ko": "진행 중"},
    "status.cancelled": {"en": "cancelled", "ko": "취소됨"},
    "aggregation.latest": {"en": "latest", "ko": "최신"},
    "aggregation.max": {"en": "maximum", "ko": "최대"},
    "aggregation.min": {"en": "minimum", "ko": "최소"},
    "aggregation.mean": {"en": "mean", "ko": "평균"},
    # runs
    "runs.header": {"en": "Runs · {project}", "ko": "실행 목록 · {project}"},
    "runs.none": {"en": "{project} has no runs yet.", "ko": "{project} 프로젝트에는 아직 실행이 없습니다."},
    "runs.summary.one": {
        "en": "*1 run* in {project} ({statuses}):",
        "ko": "{project} 프로젝트의 실행은 *1개*입니다 ({statuses}):",
    },
    "runs.summary": {
        "en": "*{count} runs* in {project} ({statuses}), oldest first:",
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
    "trend.summary.one": {
        "en": "{metric} in its only run: {last}",
        "ko": "유일한 실행의 {metric}: {last}",
    },
    "trend.better": {"en": "improved", "ko": "개선"},
    "trend.worse": {"en": "worse", "ko": "악화"},
    "trend.flat": {"en": "unchanged", "ko": "변화 없음"},
    "trend.peak": {"en": "best {value} ({run})", "ko": "최고 {value} ({run})"},
    "trend.legend": {
        "en": "{aggregation} value per run, in run start order · :rocket: deployed",
        "ko": "실행별 {aggregation} 값, 시작 순서 · :rocket: 배포됨",
    },
    "trend.fallback": {
        "en": "{metric} in {project}: {first} → {last} ({change})",
        "ko": "{project}의 {metric}: {first} → {last} ({change})",
    },
    # deployments
    "deploy.header": {"en": "Deployments · {project}", "ko": "배포 · {project}"},
    "deploy.none": {
        "en": "{project} has no deployments recorded yet.",
        "ko": "{project} 프로젝트에는 기록된 배포가 아직 없습니다.",
    },
    "deploy.summary.one": {
        "en": "*1 deployment* of {project}.",
        "ko": "{project} 프로젝트의 배포는 *1건*입니다.",
    },
    "deploy.summary": {
        "en": "*{count} deployments* of {project}.",
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
        "en": "Ranked by each run's {aggregation} value in stage {where}; {direction}. Runs without it are skipped.",
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
    # onboarding
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
    "onboard.fallback": {"en": "{project}: {count} runs.", "ko": "{project}: 실행 {count}개."},
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
    "compare.hidden": {"en": "{count} more metrics not shown", "ko": "지표 {count}개 더 있음"},
    "compare.fallback": {"en": "{verdict}", "ko": "{verdict}"},
    # projects and channel default
    "projects.header": {"en": "Projects", "ko": "프로젝트"},
    "projects.none": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "import.pending": {
        "en": "This workspace holds a Contexta 1.x history that is not imported yet. Run {command} "
        "where the bot runs, then ask again.",
        "ko": "이 워크스페이스에 아직 가져오지 않은 Contexta 1.x 기록이 있습니다. 봇이 실행되는 곳에서 "
        "{command}을(를) 실행한 뒤 다시 물어보세요.",
    },
    "projects.summary": {"en": "*{count} projects:*", "ko": "*프로젝트 {count}개:*"},
    "projects.summary.one": {"en": "*1 project:*", "ko": "*프로젝트 1개:*"},
    "projects.runs": {"en": "{count} runs", "ko": "실행 {count}개"},
    "projects.runs.one": {"en": "1 run", "ko": "실행 1개"},
    "projects.last": {"en": "last run {day}", "ko": "마지막 실행 {day}"},
    "projects.default": {"en": "this channel's default", "ko": "이 채널의 기본 프로젝트"},
    "projects.hint": {
        "en": "Set this channel's default with `/contexta use &lt;project&gt;`",
        "ko": "`/contexta use &lt;project&gt;`로 이 채널의 기본 프로젝트를 정하세요",
    },
    "projects.fallback": {"en": "{count} projects: {names}", "ko": "프로젝트 {count}개: {names}"},
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
        "en": "how many training runs do we have?|how did accuracy change over time?"
        "|which model is in production?|what's our best run on f1?"
        "|is there a report comparing all runs?|compare churn-v3-feb and churn-v6-apr|I'm new here, where do I start?",
        "ko": "학습 실행이 몇 개야?|정확도는 어떻게 변했어?|어떤 실행이 프로덕션에 배포됐어?"
        "|가장 좋은 실행은 뭐야?|전체 실행 비교 리포트 있어?|churn-v3-feb랑 churn-v6-apr 비교해줘|처음 왔는데 요약해줘",
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
        "en": "Contexta answers questions about a model project. Commands: {commands}. Start with /contexta help",
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
    # errors
    "error.try": {"en": "Did you mean {names}?", "ko": "혹시 {names}을(를) 찾으시나요?"},
    "error.hint": {
        "en": "`/contexta help` lists what I can do.",
        "ko": "`/contexta help`로 사용법을 볼 수 있습니다.",
    },
    "error.unexpected": {
        "en": "Sorry, something went wrong on my side while answering. Please try again in a moment.",
        "ko": "죄송합니다. 답변하는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
    "error.unknown_project": {"en": "There is no project {name}.", "ko": "{name} 프로젝트가 없습니다."},
    "error.unknown_run": {"en": "There is no run {name}.", "ko": "{name} 실행을 찾을 수 없습니다."},
    "error.unknown_metric": {"en": "{detail}", "ko": "지표를 찾을 수 없습니다: {detail}"},
    "error.ambiguous_metric": {
        "en": "{detail}, e.g. {stage}",
        "ko": "이 지표는 여러 단계에 기록되어 있어 단계를 지정해야 합니다(예: {stage}): {detail}",
    },
    "error.not_found": {"en": "{detail}", "ko": "찾을 수 없습니다: {detail}"},
    "error.command": {"en": "{detail}", "ko": "명령을 이해하지 못했습니다: {detail}"},
    "error.generic": {"en": "{detail}", "ko": "요청을 처리할 수 없습니다: {detail}"},
    "error.no_projects": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "error.need_project": {
        "en": "Which project? Name one, e.g. `/contexta runs churn-prediction`, or set a default with `/contexta use &lt;project&gt;`.",
        "ko": "어느 프로젝트인가요? `/contexta runs churn-prediction`처럼 지정하거나 `/contexta use &lt;project&gt;`로 기본값을 정하세요.",
    },
    # files (charts and report documents, uploaded in the answer's thread)
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
    # buttons that bring files or a comparison into the thread
    "button.trend_chart": {"en": "Trend chart", "ko": "추이 차트"},
    "button.compare_live": {"en": "Compare with production", "ko": "프로덕션과 비교"},
    # App Home
    "home.header": {"en": "Contexta", "ko": "Contexta"},
    "home.intro": {
        "en": "I answer questions about your model projects from their run history. Ask me in a DM, "
        "@mention me in a channel, or use `/contexta`.",
        "ko": "모델 프로젝트의 실행 기록으로 질문에 답합니다. DM으로 묻거나, 채널에서 멘션하거나, "
        "`/contexta`를 쓰세요.",
    },
    "home.projects": {"en": "*Projects* ({count})", "ko": "*프로젝트* ({count}개)"},
    "home.none": {
        "en": "There are no projects yet. Record a run with Contexta first.",
        "ko": "아직 프로젝트가 없습니다. 먼저 Contexta로 실행을 기록하세요.",
    },
    "home.runs": {"en": "{count} runs", "ko": "실행 {count}개"},
    "home.runs.one": {"en": "1 run", "ko": "실행 1개"},
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
}


def translate(catalog: dict[str, dict[str, str]], lang: str, key: str, **values: object) -> str:
    """The string `key` of `catalog` in `lang` (English when missing), with `values` filled in."""
    entry = catalog[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def t(lang: str, key: str, **values: object) -> str:
    """A string of the answers' catalog (`STRINGS` above)."""
    return translate(STRINGS, lang, key, **values)


def tn(lang: str, key: str, count: int, **values: object) -> str:
    """Like `t`, but picks the `<key>.one` variant when `count` is 1 (English plurals)."""
    one = f"{key}.one"
    return t(lang, one if count == 1 and one in STRINGS else key, count=f"{count:,}", **values)


def status_counts(counts: dict[str, int], lang: str) -> str:
    """ "6 completed, 1 failed" / "완료 6, 실패 1" (statuses with no runs left out)."""
    parts = [(f"{n:,}", status_label(s, lang)) for s, n in counts.items() if n]
    return ", ".join(f"{label} {n}" if lang == "ko" else f"{n} {label}" for n, label in parts) or "—"


def aggregation_label(aggregation: str, lang: str) -> str:
    key = f"aggregation.{aggregation}"
    return t(lang, key) if key in STRINGS else aggregation


def status_label(status: str | None, lang: str) -> str:
    if not status:
        return "—"
    key = f"status.{status}"
    return t(lang, key) if key in STRINGS else status
