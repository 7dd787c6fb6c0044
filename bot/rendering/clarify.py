"""Ask-back answer: "which project do you mean?" with one button per candidate.

Each button carries the question's intent and metric, so a click answers the original question
for that project without the person typing it again.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, button, context, finish, section
from bot.rendering.i18n import t

CHOOSE_PROJECT = "choose_project"
MAX_CHOICES = 10


def render_choose_project(
    candidates: Sequence[str], *, intent: str, metric: str | None, lang: str, ambiguous: bool
) -> Rendered:
    """`ambiguous`: the question named several projects; otherwise it named none."""
    question = t(lang, "clarify.ambiguous" if ambiguous else "clarify.which")
    blocks = [section(f":thinking_face: {question}")]
    for name in candidates[:MAX_CHOICES]:
        value = {"project": name, "intent": intent, "metric": metric, "lang": lang}
        choose = button(t(lang, "clarify.choose"), CHOOSE_PROJECT, value)
        blocks.append(section(fmt.code(name), accessory=choose))
    if len(candidates) > MAX_CHOICES:
        blocks.append(context(t(lang, "clarify.more", count=len(candidates) - MAX_CHOICES)))
    blocks.append(context(t(lang, "clarify.hint")))
    names = ", ".join(fmt.escape(c) for c in candidates[:MAX_CHOICES])
    return finish(blocks, f"{question} {names}")
