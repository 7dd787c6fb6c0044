"""Block Kit building blocks shared by the renderers, and the message-size rules they obey.

Blocks are slack_sdk model objects turned into dicts by `finish`, so slack_sdk's validators
raise on any per-block violation (header > 150 chars, > 10 fields, section text > 3000, …).
What slack_sdk does not check (≤ 50 blocks per message, roughly 12k characters of block text in
total before Slack answers `msg_blocks_too_long`) is budgeted here: renderers paginate so they
stay inside, and `finish` is the last guard.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.rendering.format import clip
from contexta_core.text_safety import printable

MAX_BLOCKS = 50
SECTION_CHARS = 3000
SECTION_BUDGET = 2800  # leaves room for a closing ``` when a table is split
FIELD_CHARS = 2000
HEADER_CHARS = 150
BUTTON_CHARS = 75
TEXT_BUDGET = 10_000  # Slack rejects ~12k characters of block text; keep a margin
FALLBACK_CHARS = 3000

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    """What a renderer produces: the plain-text fallback and the Block Kit blocks (as dicts)."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(" ".join(text.split()) or "Contexta", HEADER_CHARS)))


def section(markdown: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=markdown or " "), accessory=accessory)


def fields(items: Sequence[str]) -> SectionBlock:
    """Up to 10 short mrkdwn fields shown two per row."""
    return SectionBlock(fields=[MarkdownTextObject(text=clip(i or " ", FIELD_CHARS)) for i in items[:10]])


def context(*markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=m) for m in markdown[:10] if m])


def divider() -> DividerBlock:
    return DividerBlock()


def button(label: str, action_id: str, value: dict[str, Any], *, primary: bool = False) -> ButtonElement:
    """A button whose value is compact JSON (read back by the action listeners)."""
    return ButtonElement(
        text=PlainTextObject(text=clip(label, BUTTON_CHARS)),
        action_id=action_id,
        value=json.dumps(value, ensure_ascii=False, separators=(",", ":")),
        style="primary" if primary else None,
    )


def actions(*buttons: ButtonElement) -> ActionsBlock:
    return ActionsBlock(elements=list(buttons))


def line_sections(lines: Iterable[str], *, fence: bool = False) -> list[SectionBlock]:
    """Whole lines packed into as few sections as fit; a row is never split. `fence` wraps each in ```."""
    blocks: list[SectionBlock] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        line = clip(line, SECTION_BUDGET)
        if chunk and size + len(line) + 1 > SECTION_BUDGET:
            blocks.append(_packed(chunk, fence))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        blocks.append(_packed(chunk, fence))
    return blocks


def _packed(lines: list[str], fence: bool) -> SectionBlock:
    body = "\n".join(lines)
    return section(f"```\n{body}\n```" if fence else body)


def finish(blocks: Sequence[Block], text: str) -> Rendered:
    """Validate (slack_sdk raises on violations) and enforce the message-wide budgets; control
    characters and bidi overrides a stored name may carry are shown as escapes in every text."""
    dicts = [_shown(b.to_dict()) for b in blocks]
    text = printable(text, keep_newlines=True)
    while len(dicts) > MAX_BLOCKS or (len(dicts) > 1 and block_text_length(dicts) > TEXT_BUDGET):
        # Renderers paginate, so this only fires on a bug; drop from the end but keep the buttons.
        logger.warning("Answer exceeded Slack's limits (%d blocks); trimming", len(dicts))
        keep_last = dicts[-1].get("type") == "actions"
        dicts.pop(-2 if keep_last and len(dicts) > 1 else -1)
    return Rendered(text=clip(text, FALLBACK_CHARS), blocks=dicts)


def _shown(value: Any) -> Any:
    """``value`` (a block as a dict) with every ``text`` string through ``printable`` (values kept)."""
    if isinstance(value, dict):
        return {
            k: printable(v, keep_newlines=True) if k == "text" and isinstance(v, str) else _shown(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def block_text_length(value: Any) -> int:
    """Characters of all `text` strings in blocks: what Slack's cumulative limit counts."""
    if isinstance(value, dict):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else block_text_length(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return sum(block_text_length(v) for v in value)
    return 0
