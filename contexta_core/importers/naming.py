"""Source names → this workspace's vocabulary: metric keys, ref components, record ids.

MLflow and TensorBoard allow keys such as ``Val Loss`` or ``Accuracy/Train``; here keys are
lower-case words joined by ``- _ . /``. The mapping is deterministic so every import of the same
source gives the same keys and refs.
"""

from __future__ import annotations

import hashlib
import re

from ..refs import slugify

_NOT_KEY = re.compile(r"[^a-z0-9._/-]+")
_SEPARATORS = re.compile(r"[-_]{2,}")
_SEGMENT = re.compile(r"([./])")


def metric_key_from(source_key: str) -> str | None:
    """``"Val Loss"`` → ``"val_loss"``, ``"Accuracy/Train"`` → ``"accuracy/train"``; None when
    nothing usable is left (the caller reports it as skipped)."""
    text = _NOT_KEY.sub("_", source_key.strip().lower())
    parts: list[str] = []
    joiner = ""
    for piece in _SEGMENT.split(text):
        if piece in (".", "/"):
            joiner = joiner or piece
            continue
        word = _SEPARATORS.sub(lambda m: m.group(0)[0], piece).strip("-_")
        if word:
            if parts:
                parts.append(joiner or ".")
            parts.append(word)
        joiner = ""
    key = "".join(parts)
    return key[:128] if key else None


def ref_component(name: str, fallback: str) -> str:
    """A lower-kebab ref component for ``name`` (``fallback`` when the name has no letters)."""
    try:
        return slugify(name)
    except ValueError:
        return slugify(fallback)


def digest(*parts: object, size: int = 16) -> str:
    """A short stable digest of ``parts`` (record ids, fingerprints)."""
    text = "\x1f".join("" if p is None else repr(p) if isinstance(p, float) else str(p) for p in parts)
    return hashlib.blake2b(text.encode(), digest_size=size // 2).hexdigest()


def point_id(key: str, step: int | None, moment: object, value: float) -> str:
    """A logged value's record id: ``digest(key, step, moment, value)`` with ``m-`` before it,
    spelled out for speed (it runs once per imported value)."""
    text = f"{key}\x1f{'' if step is None else step}\x1f{moment}\x1f{value!r}"
    return "m-" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
