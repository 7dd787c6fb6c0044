"""Re-export of ``contexta_core.contract`` under the seed case's import path."""

from contexta_core.contract import *  # noqa: F403
from contexta_core.contract import __all__  # noqa: F401
