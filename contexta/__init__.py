"""Compatibility facade: ``from contexta import Contexta`` as in the seed case. Nothing lives here.

``Contexta`` is ``contexta_core.compat.Contexta``: the core client handing out the original
library's records (times as ISO-8601 text ending in ``Z``)."""

from contexta_core import ContextaError, __version__
from contexta_core.compat import Contexta

__all__ = ["Contexta", "ContextaError", "__version__"]
