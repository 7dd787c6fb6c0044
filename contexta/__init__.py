"""Compatibility facade: ``from contexta import Contexta`` as in the seed case. Nothing lives here."""

from contexta_core import Contexta, ContextaError, __version__

__all__ = ["Contexta", "ContextaError", "__version__"]
