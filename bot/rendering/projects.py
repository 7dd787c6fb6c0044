"""Projects answer: every project with its description, run count and last run, the channel default marked."""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, line_sections, section
from bot.rendering.i18n import t
from bot.rendering.paging import Page, position, show_more
from contexta_core.results import ProjectRecord


def render_projects(
    projects: Sequence[ProjectRecord],
    *,
    page: Page,
    channel_default: str | None,
    lang: str,
    pending_import: str | None = None,
) -> Rendered:
    """`projects` holds all of them (alphabetical); `page` picks the rows shown; `pending_import`
    is the command that imports history found in the workspace but not imported yet."""
    top = header(t(lang, "projects.header"))
    if not projects:
        message = (
            t(lang, "import.pending", command=fmt.code(pending_import, 500))
            if pending_import
            else t(lang, "projects.none")
        )
        return finish([top, section(message)], message)
    lines = []
    for p in projects[page.start : page.end]:
        line = f"• *{fmt.escape(fmt.clip_name(p.name, fmt.NAME_WIDTH))}*"
        if p.description:
            line += f" — {fmt.escape(fmt.clip(p.description, 120))}"
        line += " · " + t(lang, "projects.runs", count=p.run_count)
        if p.last_run_at is not None:
            line += " · " + t(lang, "projects.last", day=fmt.day(p.last_run_at))
        if p.name == channel_default:
            line += f"  :pushpin: _{t(lang, 'projects.default')}_"
        lines.append(line)
    blocks = [
        top,
        section(t(lang, "projects.summary", count=len(projects))),
        *line_sections(lines),
    ]
    notes = [t(lang, "projects.hint")]
    if position(page, lang):
        notes.append(position(page, lang))
    blocks.append(context(" · ".join(notes)))
    if page.has_more:
        blocks.append(show_more("projects", None, page, lang))
    names = ", ".join(fmt.escape(p.name) for p in projects[:20])
    return finish(blocks, t(lang, "projects.fallback", count=len(projects), names=names))


def render_use(project: str, *, lang: str) -> Rendered:
    """Confirmation that the channel now has a default project."""
    message = t(lang, "use.done", project=fmt.code(project))
    return finish([section(f":pushpin: {message}"), context(t(lang, "use.hint"))], message)
