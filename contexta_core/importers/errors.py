"""Import failures a person can act on (a missing extra, an unreadable source)."""

from __future__ import annotations

from ..errors import ContextaError


class ImportSourceError(ContextaError):
    """The source cannot be read: it is missing, locked, of an unknown kind, or its library is absent."""

    code = "import_source_unreadable"


def missing_extra(package: str, what: str) -> ImportSourceError:
    return ImportSourceError(
        f"importing {what} needs the `{package}` package: pip install 'contexta-onboarding[import]'",
        code="import_extra_missing",
    )
