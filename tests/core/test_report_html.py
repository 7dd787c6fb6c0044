"""The HTML report: one self-contained, escaped page, checked as text and in a real headless Chromium.

The browser tests need Debian's ``chromium`` package; they are skipped locally without it and fail
under CI (``CI=true``), like the PostgreSQL tests.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageStat

from contexta_core import Contexta
from contexta_core.contract import Run
from contexta_core.render.charts import render_trend_chart
from contexta_core.render.document import ReportDocument, ReportSection
from contexta_core.render.html import render_report_html
from contexta_core.results import MetricColumn, ReportTable
from contexta_core.synthetic import add_project, add_run, day, metric, seed_demo

DEMO = "churn-prediction"
WHEN = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"


class PageParser(HTMLParser):
    """Just enough structure: header cells, body rows (cell texts and classes), tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.heads: list[str] = []
        self.rows: list[list[str]] = []
        self.row_classes: list[str] = []
        self.cell_classes: list[list[str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.body_attrs: dict[str, str | None] = {}
        self._part: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "body":
            self.body_attrs = attrs
        elif tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.rows.append([])
            self.cell_classes.append([])
            self.row_classes.append(attrs.get("class") or "")
        elif tag in ("th", "td") and self._part:
            self._cell = []
            if self._part == "tbody":
                self.cell_classes[-1].append(attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).strip()
            (self.heads.append if self._part == "thead" else self.rows[-1].append)(text)
            self._cell = None
        elif tag in ("thead", "tbody"):
            self._part = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    return parser


def demo_page(ctx) -> tuple[str, bytes]:
    runs = ctx.list_runs(DEMO)
    report = ctx.build_multi_run_report([r.run_id for r in runs])
    deployments = ctx.list_deployments(DEMO)
    best = ctx.best_run(DEMO, "accuracy", stage_name="evaluate")
    png = render_trend_chart(
        ctx.get_metric_trend("accuracy", project_name=DEMO), deployments=deployments, best_run_id=best.run_id
    )
    page = render_report_html(
        report,
        project_name=DEMO,
        source=ctx.source,
        generated_at=WHEN,
        chart_png=png,
        best_run_id=best.run_id,
        live_run_id=deployments[-1].run_id,
    )
    return page, png


def synthetic_report(n: int, *, hostile: bool = False) -> ReportDocument:
    """``n`` runs; every 10th has no values, every 7th failed, run 3 is best in both columns."""
    names = tuple(HOSTILE if hostile and i == 1 else f"r{i:05d}" for i in range(n))
    acc = tuple(None if i % 10 == 9 else (0.99 if i == 3 else 0.5 + (i * 37 % 100) / 1000) for i in range(n))
    loss = tuple(None if v is None else round(1 - v, 6) for v in acc)
    table = ReportTable(
        run_ids=tuple(f"run:p.r{i:05d}" for i in range(n)),
        run_names=names,
        run_statuses=tuple("failed" if i % 7 == 6 else "completed" for i in range(n)),
        run_started=tuple(WHEN + timedelta(minutes=i) for i in range(n)),
        columns=(
            MetricColumn("evaluate", "accuracy", acc, 3),
            MetricColumn("evaluate", "val_loss", loss, 3),
        ),
        deployed=tuple((f"deploy-{i}",) if i % 1000 == 3 else () for i in range(n)),
    )
    sections = (
        ReportSection("Summary", f"Compared {n} runs.\nBest evaluate/accuracy: r00003"),
        ReportSection("Runs", "repeats the table"),
        ReportSection("Deployments", "deploy-3 → r00003"),
        ReportSection("Completeness Notes", HOSTILE if hostile else ""),
    )
    return ReportDocument(f"Multi Run Report: {n} runs", sections, table)


# -- structure -----------------------------------------------------------------------------------


def test_demo_table_has_one_row_per_run_and_a_column_per_metric(demo_ctx):
    page, _ = demo_page(demo_ctx)
    parsed = parse(page)
    assert parsed.heads[:4] == ["Run", "Started (UTC)", "Status", "Deployments"]
    assert parsed.heads[4:] == ["evaluate/accuracy↑ better", "evaluate/auc↑ better", "evaluate/f1↑ better"]
    runs = demo_ctx.list_runs(DEMO)
    assert len(parsed.rows) == len(runs) == 6
    assert [row[0] for row in parsed.rows] == [
        "churn-v1-jan", "churn-v2-feb", "churn-v3-febdeployed", "churn-v4-mar", "churn-v5-apr",
        "churn-v6-apr★ bestlive",  # the badges' text follows the name
    ]  # fmt: skip
    assert parsed.rows[0][1:] == ["2025-01-10 09:00", "completed", "", "0.821", "0.854", "0.811"]
    assert (parsed.rows[2][3], parsed.rows[5][3]) == ("prod-deploy-v3", "prod-deploy-v6")
    assert parsed.row_classes[5] == "best-run live"
    # the best value of each metric column is marked (all three are churn-v6-apr's)
    best_cells = [
        (r, c) for r, classes in enumerate(parsed.cell_classes) for c, k in enumerate(classes) if "best" in k
    ]
    assert best_cells == [(5, 4), (5, 5), (5, 6)]
    assert "<li>★ best: churn-v6-apr</li>" in page and "<li>● live: churn-v6-apr</li>" in page


def test_sections_follow_the_table_and_the_footer_names_time_and_source(demo_ctx):
    page, _ = demo_page(demo_ctx)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == ["Runs", "Summary", "Deployments", "Completeness Notes"]
    assert "<li>prod-deploy-v3 → churn-v3-feb (2025-02-22, completed)</li>" in page
    assert "Best evaluate/accuracy (highest): churn-v6-apr = 0.902" in page
    stamp = '<time datetime="2025-05-01T12:00:00Z">2025-05-01 12:00:00 UTC</time>'
    assert f"<footer>Generated at {stamp} from {demo_ctx.source}</footer>" in page


def test_generated_at_is_shown_in_utc():
    report = synthetic_report(2)
    kst = timezone(timedelta(hours=9))
    aware = render_report_html(
        report, project_name="p", source="s", generated_at=datetime(2025, 5, 1, 21, tzinfo=kst)
    )
    naive = render_report_html(report, project_name="p", source="s", generated_at=datetime(2025, 5, 1, 12))
    assert "2025-05-01 12:00:00 UTC" in aware and "2025-05-01 12:00:00 UTC" in naive


def test_chart_is_embedded_and_nothing_is_loaded_from_anywhere(demo_ctx):
    page, png = demo_page(demo_ctx)
    sources = [attrs["src"] for tag, attrs in parse(page).tags if "src" in attrs]
    assert sources == ["data:image/png;base64," + base64.b64encode(png).decode()]
    assert 'width="1200" height="600"' in page
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<link|@import|url\(|srcset|<iframe|<object|<embed", page, re.IGNORECASE)
    assert [t for t, attrs in parse(page).tags if t == "script"] == ["script"]  # the sort script only
    assert "default-src 'none'; img-src data:;" in page


def test_content_security_policy_hashes_match_the_inline_style_and_script(demo_ctx):
    page, _ = demo_page(demo_ctx)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy


def test_style_and_script_are_the_shipped_files_byte_for_byte(demo_ctx):
    """The CSS and JS are package files (a wheel ships them); the page inlines them unchanged."""
    page, _ = demo_page(demo_ctx)
    shipped = files("contexta_core.render") / "templates"
    for tag, name in (("style", "report.css"), ("script", "report.js")):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL).group(1)
        assert body == (shipped / name).read_text(encoding="utf-8")


def test_hostile_names_from_the_store_are_escaped(ctx):
    add_project(ctx, "proj")
    add_run(ctx, "proj", "ok", 0)
    hostile = Run(
        run_ref="run:proj.hostile",
        project_ref="project:proj",
        name=HOSTILE,
        status="failed",
        started_at=day(1),
        ended_at=day(1, 12),
    )
    ctx.metadata_store.runs.put_run(hostile)
    ctx.record_store.append_many(
        [metric("proj", "ok", "acc", 0.5), metric("proj", "hostile", "acc", 0.9, stage=None)]
    )
    report = ctx.build_multi_run_report(["run:proj.ok", "run:proj.hostile"])
    page = render_report_html(
        report,
        project_name='"><img src=x onerror=alert(2)>',
        source="</footer><b>x</b>",
        generated_at=WHEN,
        best_run_id="run:proj.hostile",
    )
    assert page.count("<script") == 1 and HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page  # autoescape's entity for "
    assert "&lt;/footer&gt;&lt;b&gt;x&lt;/b&gt;" in page
    rows = parse(page).rows
    assert [row[0] for row in rows] == ["ok", HOSTILE + "★ best"]  # the parser unescapes: text, not markup
    assert rows[1][2] == "failed" and parse(page).row_classes[1] == "failed best-run"


def test_a_report_without_a_table_shows_every_section():
    report = ReportDocument("Snapshot", (ReportSection("Run IDs", "a\nb"), ReportSection("Notes", "")))
    page = render_report_html(report, project_name="p", source="s", generated_at=WHEN)
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Run IDs", "Notes"]
    assert "<li>a</li><li>b</li>" in page and "<p class=empty>None.</p>" in page
    assert "<table" not in page


def test_chart_must_be_a_png():
    with pytest.raises(ValueError, match="not a PNG"):
        render_report_html(
            synthetic_report(1), project_name="p", source="s", generated_at=WHEN, chart_png=b"GIF89a"
        )


def test_ten_thousand_runs_stay_small_and_quick():
    report = synthetic_report(10_000)
    started = time.perf_counter()
    page = render_report_html(
        report, project_name="p", source="s", generated_at=WHEN, best_run_id="run:p.r00003"
    )
    assert time.perf_counter() - started < 3
    assert len(page.encode()) < 4_000_000  # ~300 bytes a run
    parsed = parse(page)
    assert len(parsed.rows) == 10_000
    assert parsed.rows[9][4:] == ["—", "—"]
    assert [c for c in parsed.cell_classes[3] if "best" in c] == ["n best", "n best"]
    assert parsed.heads[4:] == ["evaluate/accuracy↑ better", "evaluate/val_loss↓ better"]


# -- a real browser ----------------------------------------------------------------------------


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required under CI (apt-get install -y chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture
def sqlite_demo(tmp_path: Path, monkeypatch):
    """The demo on SQLite only: the browser tests check rendering, not the database."""
    monkeypatch.delenv("CONTEXTA_DATABASE_URL", raising=False)
    (tmp_path / "ws").mkdir()
    with Contexta(workspace=tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'ws' / 'c.db'}") as ctx:
        seed_demo(ctx)
        yield ctx


def run_chromium(binary: str, tmp_path: Path, url: str, *flags: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", *flags, url,
    ]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr[-3000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console  # no script error, no CSP violation, nothing logged by the page
    return result


def write_page(tmp_path: Path, report: ReportDocument) -> Path:
    page = tmp_path / "report.html"
    page.write_text(
        render_report_html(report, project_name="p", source="s", generated_at=WHEN), encoding="utf-8"
    )
    return page


def dumped_rows(binary: str, tmp_path: Path, page: Path, fragment: str = "") -> tuple[PageParser, list[str]]:
    dom = run_chromium(binary, tmp_path, page.as_uri() + fragment, "--dump-dom").stdout
    parsed = parse(dom)
    assert parsed.body_attrs.get("data-ready") == "1"  # the script ran to its end
    return parsed, [row[0] for row in parsed.rows]


@pytest.mark.slow
def test_chromium_screenshot_shows_the_styled_page_and_the_chart(chromium, sqlite_demo, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(demo_page(sqlite_demo)[0], encoding="utf-8")
    shot = tmp_path / "shot.png"
    run_chromium(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1280,1600")
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1600)
    assert max(ImageStat.Stat(image).stddev) > 20 and len(image.getcolors(1 << 20)) > 50
    pixels = np.asarray(image, dtype=int).reshape(-1, 3)
    chart_blue = int((np.abs(pixels - (37, 99, 235)).sum(axis=1) < 60).sum())
    best_cell = int((pixels == (254, 243, 199)).all(axis=1).sum())  # --best-bg: the CSS was applied
    assert chart_blue > 500, "the data: URI chart did not render"
    assert best_cell > 500, "the stylesheet did not apply"


@pytest.mark.slow
def test_chromium_runs_the_sort_script(chromium, sqlite_demo, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(demo_page(sqlite_demo)[0], encoding="utf-8")
    names = [f"churn-v{i}" for i in range(1, 7)]
    parsed, rows = dumped_rows(chromium, tmp_path, page)
    assert len(rows) == 6 and [r[:8] for r in rows] == names  # unsorted: as the report lists them
    assert len(parsed.heads) == 7
    _, rows = dumped_rows(chromium, tmp_path, page, "#sort=4")  # accuracy: best first
    assert [r[:8] for r in rows] == names[::-1]
    _, rows = dumped_rows(chromium, tmp_path, page, "#sort=0:desc")
    assert [r[:8] for r in rows] == names[::-1]


@pytest.mark.slow
def test_chromium_sorts_numbers_keeps_gaps_last_and_shows_hostile_names_as_text(chromium, tmp_path):
    page = write_page(tmp_path, synthetic_report(30, hostile=True))
    parsed, rows = dumped_rows(chromium, tmp_path, page, "#sort=4")  # accuracy, highest first
    assert rows[0] == "r00003deployed" and rows[-3:] == ["r00009", "r00019", "r00029"]  # no value: last
    values = [float(row[4]) for row in parsed.rows[:-3]]
    assert values == sorted(values, reverse=True)
    parsed, rows = dumped_rows(chromium, tmp_path, page, "#sort=5")  # val_loss, lowest first
    assert rows[0] == "r00003deployed" and rows[-3:] == ["r00009", "r00019", "r00029"]
    assert HOSTILE in rows  # rendered as text
    assert [t for t, _ in parsed.tags if t == "script"] == ["script"]


@pytest.mark.slow
def test_chromium_handles_ten_thousand_runs(chromium, tmp_path):
    page = write_page(tmp_path, synthetic_report(10_000))
    _, rows = dumped_rows(chromium, tmp_path, page, "#sort=0:desc")
    assert len(rows) == 10_000 and rows[0] == "r09999" and rows[-1] == "r00000"
