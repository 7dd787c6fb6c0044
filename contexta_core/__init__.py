"""contexta_core: the workspace store and the questions asked of it (no Slack in here)."""

from .client import Contexta
from .errors import ContextaError

__version__ = "0.1.0"
__all__ = ["Contexta", "ContextaError", "__version__"]
