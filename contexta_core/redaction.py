"""Connection strings made safe to show, and the neutral name files use for a workspace.

A database URL can carry a password as ``user:pw@host`` or as a query parameter (``?password=…``,
libpq's ``sslpassword``, …), and a driver's error can quote either back. ``redact_url`` hides
both; ``redact_text`` hides them inside any message, plus the literal password of a URL it is given.
Files people share (the reports the bot uploads) never show a connection at all: ``workspace_label``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "***"
# Query/keyword names whose values are secrets (password, sslpassword, passwd, pwd, secret, token, …).
_SECRET_NAME = r"[\w.-]*(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key)[\w.-]*"
_SECRET_PARAM = re.compile(rf"(?i)(\b{_SECRET_NAME}\s*=\s*)('[^']*'|\"[^\"]*\"|[^\s&;,'\"]*)")
_SECRET_JSON = re.compile(rf"(?i)([\"']{_SECRET_NAME}[\"']\s*:\s*)(\"[^\"]*\"|'[^']*')")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s/:@]*):[^\s@/]*@")


def redact_url(url: str) -> str:
    """``url`` with every password in it replaced by ``***`` (userinfo and query parameters)."""
    return redact_text(url)


def redact_text(text: str, url: str | None = None) -> str:
    """``text`` with credentials of every form masked; ``url``'s own password wherever it appears."""
    for secret in _secrets_of(url):
        text = text.replace(secret, MASK)
    text = _USERINFO.sub(rf"\1:{MASK}@", text)
    text = _SECRET_PARAM.sub(rf"\1{MASK}", text)
    return _SECRET_JSON.sub(rf'\1"{MASK}"', text)


def workspace_label(url: str) -> str:
    """What a shared file says the data came from: the kind of store, no host, user or path."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(scheme, "database")
    return f"a Contexta workspace ({kind})"


def _secrets_of(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password] if parts.password else []
        found += [value for name, value in parse_qsl(parts.query) if re.fullmatch(_SECRET_NAME, name, re.I)]
    except ValueError:
        return []
    # longest first, raw and percent-decoded, never so short that masking it would garble the text
    values = {v for secret in found for v in (secret, unquote(secret)) if len(v) >= 3}
    return sorted(values, key=len, reverse=True)
