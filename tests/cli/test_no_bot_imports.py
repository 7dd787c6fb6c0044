"""The terminal and the core stand without the Slack app: nothing in them imports `bot`."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK_BOT = """
import sys
from importlib.abc import MetaPathFinder

class BlockBot(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "bot" or name.startswith("bot."):
            raise ImportError(f"{name} is blocked: the CLI must not need the Slack app")

sys.meta_path.insert(0, BlockBot())
from contexta_cli.main import app
app(sys.argv[1:])
"""


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["contexta_cli", "contexta_core", "contexta"])
def test_no_module_imports_the_slack_app(package):
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in _imported_modules(path)
        if name == "bot" or name.startswith("bot.")
    }
    assert not offenders, sorted(offenders)


@pytest.mark.slow
def test_the_cli_answers_with_the_bot_package_blocked(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTEXTA_", "SLACK_"))}
    env["COLUMNS"] = "100"

    def contexta(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", BLOCK_BOT, "--workspace", str(tmp_path / "ws"), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)

    assert contexta("demo").returncode == 0
    asked = contexta("ask", "가장 좋은 실행은 뭐야?", "--json")
    assert asked.returncode == 0, asked.stderr
    assert '"churn-v6-apr"' in asked.stdout
    listed = contexta("digest", "list")
    assert listed.returncode == 0, listed.stderr
