"""Names are data: which characters a name may hold, and how stored text is shown safely.

Control characters (C0, DEL, C1) and the bidirectional embedding/override/isolate characters
(U+202A–U+202E, U+2066–U+2069, the "Trojan Source" set) are refused in names at the contract:
they clear terminals, forge links and window titles, reorder text in Slack, and PostgreSQL cannot
store a NUL at all. Text stored before that rule is shown through ``printable`` (each such
character as a visible ``\\x1b`` / ``\\u202e`` escape). ``markdown_text`` and ``csv_cell`` keep a
name from becoming structure in those formats (sections, links, images; spreadsheet formulas).
"""

from __future__ import annotations

import re

_UNSAFE = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
UNSAFE_CHARS = re.compile(f"[{_UNSAFE}]")
_UNSAFE_BUT_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NON_ASCII_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A cell a spreadsheet would run as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_MD_INLINE = re.compile(r"([\\\[\]<>|])")
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+*=-]|\d+(?=[.)]))", re.MULTILINE)


def describe_char(char: str) -> str:
    kind = "a bidirectional override" if "\u202a" <= char <= "\u2069" else "a control character"
    return f"U+{ord(char):04X} ({kind})"


def unsafe_name_problem(value: str) -> str | None:
    """Why ``value`` cannot be a name (the first offending character and where), or None."""
    found = UNSAFE_CHARS.search(value)
    if found is None:
        return None
    return (
        f"must not contain control characters or bidirectional overrides; found "
        f"{describe_char(found.group())} at position {found.start() + 1}"
    )


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character shown as an escape (``keep_newlines``: line breaks stay)."""
    pattern = _UNSAFE_BUT_LINES if keep_newlines else UNSAFE_CHARS
    return pattern.sub(_escape_char, text) if pattern.search(text) else text


def escape_non_ascii_controls(json_text: str) -> str:
    """JSON written with ``ensure_ascii=False`` still carries C1 and bidi characters raw; as
    ``\\u`` escapes the document means the same and a terminal shows it as written."""
    return _NON_ASCII_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows as written: no headings, quotes, lists, links, images,
    autolinks or raw HTML can come out of it (emphasis and code spans are left alone)."""
    text = _MD_INLINE.sub(r"\\\1", printable(text, keep_newlines=True))
    text = text.replace("://", r"\://").replace("www.", r"www\.")
    return _MD_LINE_START.sub(_escape_line_start, text)


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading ``'``."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"  # 1\. or \#


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
