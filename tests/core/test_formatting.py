"""One sparkline for every surface (moved here from the CLI's and the bot's formatting tests)."""

from __future__ import annotations

from bot.rendering import format as fmt
from contexta_cli import formatting as cli
from contexta_core.render.formatting import SPARK_WIDTH, sparkline


def test_sparkline():
    assert sparkline([0.821, 0.843, 0.861, 0.878, 0.894, 0.902]) == "▁▃▄▆▇█"
    assert sparkline([3, 1, 2]) == "█▁▅"
    assert sparkline([0.5, 0.5]) == "▅▅"  # flat: mid-height (the CLI drew ▅, Slack ▄)
    assert sparkline([1, 1, 1]) == "▅▅▅"
    assert sparkline([]) == ""
    long = sparkline(list(range(1000)), width=10)
    assert len(long) == 10 and long[0] == "▁" and long[-1] == "█"


def test_sparkline_scales_and_buckets():
    long = sparkline(list(range(5000)))
    assert len(long) == SPARK_WIDTH and long[0] == "▁" and long[-1] == "█"
    assert sparkline([0.5, None, float("nan"), 0.9]) == "▁█"  # gaps are skipped


def test_every_run_counts_in_a_long_trend():
    """Averaging buckets, not sampling: a run-long dip between samples still shows."""
    values = [1.0] * 400
    values[5] = 0.0  # sampling every 10th of 400 values into 40 would skip index 5
    line = sparkline(values)
    assert len(line) == SPARK_WIDTH and line[0] == "▁" and set(line[1:]) == {"█"}


def test_the_terminal_and_slack_draw_the_same_picture():
    values = [0.5 + (i * 37 % 100) / 1000 for i in range(2345)]
    assert fmt.sparkline is cli.sparkline is sparkline
    assert fmt.sparkline(values) == cli.sparkline(values)
