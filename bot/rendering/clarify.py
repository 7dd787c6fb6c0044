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


CHOOSE_READING = "choose_reading"


def describe_reading(ask, lang: str) -> str:
    """One reading of a question in words ("the best run by `f1` of `churn-prediction`")."""
    of = t(lang, "clarify.reading.of", project=fmt.escape(ask.project)) if ask.project else ""
    by = t(lang, "clarify.reading.by", metric=fmt.escape(ask.metric)) if ask.metric else ""
    metric = f"`{fmt.escape(ask.metric)}`" if ask.metric else t(lang, "clarify.reading.metric")
    return t(lang, f"clarify.reading.{ask.intent}", of=of, by=by, metric=metric)


def render_choose_reading(readings: Sequence, *, lang: str) -> Rendered:
    """Asked back with the question's two likeliest readings as buttons; a click answers that one."""
    question = t(lang, "clarify.readings")
    blocks = [section(f":thinking_face: {question}")]
    words = []
    for ask in readings:
        described = describe_reading(ask, lang)
        words.append(described)
        value = {
            "intent": ask.intent,
            "project": ask.project,
            "metric": ask.metric,
            "stage": ask.stage,
            "lang": lang,
        }
        blocks.append(section(described, accessory=button(t(lang, "clarify.choose"), CHOOSE_READING, value)))
    blocks.append(context(t(lang, "help.more")))
    return finish(blocks, f"{question} " + " / ".join(words))


def render_off_topic(lang: str) -> Rendered:
    """Small talk: a friendly word and what can be asked; never data."""
    examples = "\n".join(f"• _{q}_" for q in t(lang, "help.examples").split("|")[:3])
    return finish([section(t(lang, "offtopic.reply")), section(examples)], t(lang, "offtopic.fallback"))
