"""The ref grammar: ``kind:component.component…`` with lower-kebab components.

Refs are the public identity of everything in a workspace (``run:churn-prediction.churn-v3-feb``),
so they are checked strictly once, at the edge, and then trusted everywhere else.
"""

from __future__ import annotations

import re

from .errors import ContractValidationError

_COMPONENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")

# How many dot-separated components each kind of ref has (after the project).
COMPONENT_COUNTS: dict[str, tuple[int, ...]] = {
    "project": (1,),
    "run": (2,),
    "deployment": (2,),
    "stage": (3,),
    "record": (3,),
    "artifact": (3,),
    "batch": (4,),
    "sample": (4, 5),
}
_EXAMPLES = {
    "project": "project:churn-prediction",
    "run": "run:churn-prediction.churn-v1-jan",
    "deployment": "deployment:churn-prediction.prod-deploy-v3",
    "stage": "stage:churn-prediction.churn-v1-jan.evaluate",
    "record": "record:churn-prediction.churn-v1-jan.r00001",
}


def parse_ref(text: object, kind: str, *, field: str | None = None) -> tuple[str, ...]:
    """Check ``text`` is a ref of ``kind`` and return its components."""
    label = field or f"{kind} ref"
    example = _EXAMPLES.get(kind, f"{kind}:…")
    if not isinstance(text, str):
        raise ContractValidationError(
            f"{label} must be text like `{example}`, got {type(text).__name__}",
            code="ref_not_text",
            details={"field": label, "example": example},
        )
    if len(text) > 255:
        raise ContractValidationError(
            f"{label} is {len(text)} characters long; at most 255 are allowed",
            code="ref_too_long",
            details={"field": label, "length": len(text)},
        )
    got_kind, sep, value = text.partition(":")
    if not sep:
        raise ContractValidationError(
            f"{label} {text!r} has no kind; expected `{kind}:…` like `{example}`",
            code="ref_without_kind",
            details={"field": label, "value": text, "example": example},
        )
    if got_kind != kind:
        raise ContractValidationError(
            f"{label} {text!r} is a `{got_kind}:` ref; expected `{kind}:` like `{example}`",
            code="ref_of_another_kind",
            details={"field": label, "value": text, "example": example},
        )
    parts = tuple(value.split("."))
    counts = COMPONENT_COUNTS.get(kind)
    if counts and len(parts) not in counts:
        want = " or ".join(str(c) for c in counts)
        raise ContractValidationError(
            f"{label} {text!r} has {len(parts)} dot-separated part(s); `{kind}:` refs have {want}, "
            f"like `{example}`",
            code="ref_with_wrong_parts",
            details={"field": label, "value": text, "example": example},
        )
    for part in parts:
        if len(part) > 63 or not _COMPONENT.fullmatch(part):
            raise ContractValidationError(
                f"{label} {text!r}: component {part!r} must be lower-case letters, digits and single "
                "hyphens (at most 63 characters), like `churn-v1-jan`",
                code="ref_with_bad_component",
                details={"field": label, "value": text, "component": part},
            )
    return parts


def check_slug(text: object, *, field: str) -> str:
    """A single lower-kebab component such as a stage or deployment name."""
    if not isinstance(text, str) or len(text) > 63 or not _COMPONENT.fullmatch(text):
        raise ContractValidationError(
            f"{field} {text!r} must be lower-case letters, digits and single hyphens, like `evaluate`",
            code="invalid_name",
            details={"field": field, "value": str(text)[:80]},
        )
    return text


def slugify(name: str) -> str:
    """Turn a human name into a ref component: ``"My Run #1"`` → ``"my-run-1"``."""
    slug = _SLUG_STRIP.sub("-", name.lower()).strip("-")
    if not slug:
        raise ContractValidationError(
            f"name {name!r} has no letters or digits to build a ref from",
            code="name_without_letters",
            details={"value": name[:80]},
        )
    return slug[:63].rstrip("-")
