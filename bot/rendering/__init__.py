"""Block Kit renderers: pure functions from core result objects to a `Rendered` (text + blocks), one module per answer."""
