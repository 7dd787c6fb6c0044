"""Re-export of ``contexta_core.config`` under the seed case's import path."""

from contexta_core.config import EnvironmentSettings, UnifiedConfig, WorkspaceConfig

__all__ = ["EnvironmentSettings", "UnifiedConfig", "WorkspaceConfig"]
