"""The `contexta` commands, one module per topic; each module's ``register`` adds its commands.

Every command follows the same path: open the workspace, ask the ``Contexta`` facade, then either
print one JSON object (``--json``) or a Rich rendering from ``contexta_cli.views``.
"""
