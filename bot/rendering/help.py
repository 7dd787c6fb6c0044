"""Help answers: the command list with example questions, and the short nudge for an unplaceable question."""

from __future__ import annotations

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, section
from bot.rendering.i18n import t
from contexta_core.ask.commands import USAGE

COMMANDS = (
    "onboard",
    "news",
    "runs",
    "trend",
    "best",
    "deployments",
    "report",
    "compare",
    "projects",
    "use",
    "digest",
    "watch",
    "unwatch",
    "access",
    "help",
)


def render_help(lang: str, *, topic: str | None = None, default_project: str | None = None) -> Rendered:
    """All commands (or one, for `help <subcommand>`) and questions people can ask in a DM or @mention."""
    if topic in USAGE:
        usage = fmt.escape(USAGE[topic])
        line = f"`{usage}`\n{t(lang, f'help.cmd.{topic}')}"
        return finish([section(line)], f"{usage}: {t(lang, f'help.cmd.{topic}')}")
    commands = "\n".join(f"• `{fmt.escape(USAGE[c])}` — {t(lang, f'help.cmd.{c}')}" for c in COMMANDS)
    blocks = [
        header(t(lang, "help.header")),
        section(t(lang, "help.intro")),
        section(f"*{t(lang, 'help.commands')}*\n{commands}"),
        section(f"*{t(lang, 'help.ask')}*\n{_examples(lang)}"),
    ]
    if default_project:
        blocks.append(context(t(lang, "help.default", project=fmt.code(default_project))))
    else:
        blocks.append(context(t(lang, "help.no_default")))
    text = t(lang, "help.fallback", commands=", ".join(f"/contexta {c}" for c in COMMANDS))
    return finish(blocks, text)


def render_question_help(lang: str) -> Rendered:
    """For a question the router could not place: say so, and show questions that work."""
    blocks = [section(t(lang, "help.unplaced")), section(_examples(lang)), context(t(lang, "help.more"))]
    return finish(blocks, t(lang, "help.unplaced_fallback"))


def _examples(lang: str) -> str:
    return "\n".join(f"• _{q}_" for q in t(lang, "help.examples").split("|"))
