"""The App Home tab: the workspace's projects at a glance, an "Onboard me" button each, and what to ask.

Built as a slack_sdk `View`, so Slack's view limits (at most 100 blocks, …) raise here instead of
failing at `views.publish`. Only the `HOME_PROJECTS` most recently active projects are listed
(two blocks each), with a line saying how many more there are: the view stays far inside the
limit for any number of projects. Slack does not tell us the reader's language here, so the tab
is English with its Korean parts side by side: the example questions in both languages, and an
English and a Korean "Onboard me" per project (one action id each: Slack wants action ids unique
within a block). The Korean variants of the other strings are ready for a per-person language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.models.views import View

from bot.rendering import format as fmt
from bot.rendering.blocks import actions, button, context, divider, header, section
from bot.rendering.i18n import t
from bot.rendering.news import home_lines, quiet_line
from contexta_core.news import WhatsNew
from contexta_core.results import BestRun, DeploymentRecord, ProjectRecord

HOME_ONBOARD = "home_onboard"
HOME_ONBOARD_KO = "home_onboard_ko"
HOME_PROJECTS = 20
_DESCRIPTION = 150


@dataclass(frozen=True)
class HomeProject:
    """One project's line on the Home tab (what `bot.home` reads from the core)."""

    record: ProjectRecord
    live: DeploymentRecord | None
    best: BestRun | None
    metric: str  # the metric "best" is judged by, e.g. evaluate/accuracy
    updated_at: datetime


@dataclass(frozen=True)
class HomeNews:
    """The reader's "Since your last visit" (times on their clock, ``zone``)."""

    news: WhatsNew
    zone: str


def render_home(
    projects: Sequence[HomeProject],
    *,
    total: int,
    pending_import: str | None = None,
    news: HomeNews | None = None,
) -> View:
    """`projects`: the most recently active first, at most `HOME_PROJECTS`; `total`: how many exist;
    `pending_import`: the command importing history found here but not imported yet; `news`: what
    is new for the reader."""
    blocks: list = [header(t("en", "home.header")), section(t("en", "home.intro")), divider()]
    if news is not None:
        blocks += _news_blocks(news)
    if not projects and pending_import:
        blocks.append(section(t("en", "import.pending", command=fmt.code(pending_import, 500))))
    elif not projects:
        blocks.append(section(t("en", "home.none")))
    else:
        blocks.append(section(t("en", "home.projects", count=total)))
        for project in projects[:HOME_PROJECTS]:
            blocks += _project_blocks(project)
        hidden = total - min(len(projects), HOME_PROJECTS)
        notes = [t("en", "home.more", count=hidden)] if hidden > 0 else []
        notes += [t("en", "home.onboard_hint"), t("ko", "home.onboard_hint")]
        blocks.append(context(*notes))
    blocks += [divider(), section(_examples("en")), section(_examples("ko"))]
    return View(type="home", blocks=blocks)


def _project_blocks(project: HomeProject) -> list:
    record = project.record
    title = f"*{fmt.escape(fmt.clip_name(record.name, fmt.NAME_WIDTH))}*"
    if record.description:
        title += f" — {fmt.escape(fmt.clip(record.description, _DESCRIPTION))}"
    facts = [t("en", "home.runs", count=record.run_count)]
    if project.live is not None:
        run = fmt.code(project.live.run_name or "?")
        facts.append(
            ":large_green_circle: " + t("en", "home.live", deployment=fmt.code(project.live.name), run=run)
        )
    else:
        facts.append(":white_circle: " + t("en", "home.no_live"))
    if project.best is not None:
        best = t(
            "en",
            "home.best",
            run=fmt.code(project.best.run_name),
            metric=fmt.escape(project.metric),
            value=fmt.number(project.best.value),
        )
        facts.append(f":trophy: {best}")
    else:
        facts.append(t("en", "home.no_best"))
    facts.append(t("en", "home.updated", when=slack_date(project.updated_at)))
    value = {"project": record.name}
    return [
        section(f"{title}\n{' · '.join(facts)}"),
        actions(
            button(t("en", "home.onboard"), HOME_ONBOARD, {**value, "lang": "en"}, primary=True),
            button(t("ko", "home.onboard"), HOME_ONBOARD_KO, {**value, "lang": "ko"}),
        ),
    ]


def _news_blocks(home: HomeNews) -> list:
    news = home.news
    first = all(p.first_visit for p in (*news.projects, *news.quiet))
    title = t("en", "home.news_first" if first else "home.news")
    lines = home_lines(news, home.zone, "en")
    if not lines:
        none = t("en", "home.news_none_first" if first else "home.news_none")
        return [section(f"{title}\n{none}"), divider()]
    blocks = [section(title), *(section(line) for line in lines)]
    notes = [t("en", "news.more_projects", count=news.more_projects)] if news.more_projects else []
    quiet = quiet_line(news, "en")
    notes += [quiet] if quiet else []
    blocks += [context(*notes, t("en", "home.news_hint")), divider()]
    return blocks


def slack_date(moment: datetime) -> str:
    """A date Slack shows in the reader's own time zone; the fallback is the UTC day and time."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    fallback = utc.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(utc.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _examples(lang: str) -> str:
    """The five questions a newcomer asks first: runs, trend, production, best run, report."""
    questions = "\n".join(f"• _{q}_" for q in t(lang, "help.examples").split("|")[:5])
    return f"{t(lang, 'home.ask')}\n{questions}"


def render_home_unavailable() -> View:
    """When the projects cannot be read: say so, and still show what to ask."""
    return View(
        type="home",
        blocks=[section(f":face_with_head_bandage: {t('en', 'error.unexpected')}"), section(_examples("en"))],
    )
