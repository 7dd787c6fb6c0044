"""A Rich console that never passes stored text's control characters to the terminal.

Run names written before the contract refused control characters may hold terminal escapes
(clear screen, OSC 8 links, window titles) or bidi overrides. Rich styles with its own control
segments and passes text through as it is, so every text segment is escaped here, at the last
moment, whether the output is a terminal or a pipe.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from contexta_core.text_safety import UNSAFE_CHARS, printable


class SafeConsole(Console):
    def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None and UNSAFE_CHARS.search(segment.text.replace("\n", "")):
                yield Segment(printable(segment.text, keep_newlines=True), segment.style)
            else:
                yield segment
