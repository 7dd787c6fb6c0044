"""`/contexta access …` replies: a change made, one project's rules with their history, the list of
restricted projects. Names come in already safe (channel and user labels are resolved by
``bot.access``); nothing here reads Slack or SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.rendering import format as fmt
from bot.rendering.blocks import Rendered, context, finish, header, line_sections, section
from bot.rendering.i18n import local_time, t
from contexta_core.access import AccessChange, ProjectAccess, Target

LIST_SHOWN = 30


def render_access_usage(lang: str) -> Rendered:
    return finish([section(t(lang, "access.usage"))], t(lang, "access.usage"))


def access_state(rule: ProjectAccess, lang: str) -> str:
    """ "open to the whole workspace" / "only in `#a`, `#b`; in private also to members of `@g`"."""
    if not rule.restricted:
        return t(lang, "access.state_open")
    state = t(lang, "access.state_restricted", channels=_names(rule.channels))
    if rule.usergroups:
        state += t(lang, "access.state_groups", groups=_names(rule.usergroups))
    return state


def render_access_change(change: AccessChange, lang: str) -> Rendered:
    project = fmt.code(change.project)
    if not change.changed:
        text = t(lang, "access.unchanged", project=project, state=access_state(change.after, lang))
    elif change.action == "open":
        text = t(lang, "access.opened", project=project, before=access_state(change.before, lang))
    else:
        text = t(
            lang,
            "access.restricted",
            project=project,
            state=access_state(change.after, lang),
            before=access_state(change.before, lang),
        )
    lines = [text]
    if change.paused:
        lines.append(t(lang, "access.paused", count=len(change.paused), targets=_targets(change.paused)))
    if change.resumed:
        lines.append(t(lang, "access.resumed", count=len(change.resumed), targets=_targets(change.resumed)))
    if change.paused_watches:
        targets = _targets(change.paused_watches)
        lines.append(t(lang, "access.paused_watches", count=len(change.paused_watches), targets=targets))
    if change.resumed_watches:
        targets = _targets(change.resumed_watches)
        lines.append(t(lang, "access.resumed_watches", count=len(change.resumed_watches), targets=targets))
    return finish([section(line) for line in lines], "\n".join(lines))


def render_access_show(
    rule: ProjectAccess, history: Sequence[AccessChange], who: Callable[[AccessChange], str], lang: str
) -> Rendered:
    """One project's rules and its recorded changes (``who`` words each change's author)."""
    state = access_state(rule, lang)
    blocks = [
        header(t(lang, "access.show_header", project=fmt.clip_name(rule.project))),
        section(t(lang, "access.show_state", state=state)),
    ]
    if history:
        items = [
            "• "
            + t(
                lang,
                "access.history_item",
                when=local_time(change.changed_at, "UTC", lang, with_year=True) + " UTC",
                who=who(change),
                action=t(lang, f"access.action.{change.action}"),
                before=access_state(change.before, lang),
                after=access_state(change.after, lang),
            )
            for change in history
        ]
        blocks += [section(t(lang, "access.history_header")), *line_sections(items)]
    else:
        blocks.append(context(t(lang, "access.history_none")))
    return finish(blocks, t(lang, "access.show_fallback", project=fmt.code(rule.project), state=state))


def render_access_list(rules: Sequence[ProjectAccess], open_count: int, lang: str) -> Rendered:
    """The restricted projects the asker may see, and how many others are open."""
    if not rules:
        return finish([section(t(lang, "access.list_none"))], t(lang, "access.list_none"))
    items = [
        "• " + t(lang, "access.list_item", project=fmt.code(rule.project), state=access_state(rule, lang))
        for rule in rules[:LIST_SHOWN]
    ]
    blocks = [header(t(lang, "access.list_header")), *line_sections(items)]
    notes = [t(lang, "access.list_open", count=open_count)] if open_count else []
    blocks.append(context(*notes, t(lang, "access.list_hint")))
    return finish(blocks, t(lang, "access.list_fallback", count=len(rules)) + "\n" + "\n".join(items[:10]))


def _names(targets: Sequence[Target]) -> str:
    prefix = {"channel": "#", "usergroup": "@"}
    return ", ".join(fmt.code(prefix[x.kind] + (x.name or x.id), 60) for x in targets)


def _targets(channels: Sequence[str]) -> str:
    return ", ".join(fmt.code(channel, 40) for channel in channels)
