"""The multi-run report as one self-contained HTML page: a pure function of the report document.

One file that can be mailed, attached to Slack or opened from disk years later: CSS, the sort
script and the chart (a base64 ``data:`` URI) are inline and nothing is fetched. A
Content-Security-Policy pins that down: only this page's own style and script (by their sha256,
computed from the shipped ``templates/report.css`` and ``report.js``) and ``data:`` images may
load. The table is plain HTML first (readable with scripts off); the small script only adds
click-to-sort and sets ``data-ready="1"`` on ``<body>`` once it has run. The page is the Jinja2
template ``templates/report.html.j2`` with autoescape on, so every piece of text from the store
is escaped.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from ..contract import format_utc
from ..results import MetricColumn, ReportTable
from .document import ReportDocument, higher_is_better
from .formatting import format_value

SECTIONS_SHOWN = ("Summary", "Deployments", "Completeness Notes")  # the rest repeat the table
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Chart(NamedTuple):
    data: str  # base64 PNG
    width: int
    height: int


class Cell(NamedTuple):
    text: str | None  # None: the run has no value
    exact: str | None  # the stored value when the shown text rounds it (what sorting uses)
    best: bool
    label: str


NO_VALUE = Cell(None, None, False, "")


class Row(NamedTuple):  # the template unpacks it in this order
    run_id: str
    name: str
    badges: tuple[tuple[str, str], ...]  # (css class, text)
    classes: str
    started: str
    status: str
    status_class: str
    deployed: str
    cells: tuple[Cell, ...]


class Section(NamedTuple):
    title: str
    lines: tuple[str, ...]


def render_report_html(
    report: ReportDocument,
    *,
    project_name: str,
    source: str,
    generated_at: datetime,
    chart_png: bytes | None = None,
    best_run_id: str | None = None,
    live_run_id: str | None = None,
) -> str:
    """The whole page. ``#sort=<column>[:asc|desc]`` in the URL opens it sorted by that column."""
    table = report.table
    style, script = _asset("report.css"), _asset("report.js")
    return _template().render(
        report=report,
        project_name=project_name,
        source=source,
        generated_at=_utc(generated_at),
        policy=_policy(),
        style=Markup(style),  # our own files, inlined byte for byte: their hashes must match
        script=Markup(script),
        facts=_facts(table, best_run_id, live_run_id) if table else (),
        chart=_chart(chart_png) if chart_png else None,
        table=table,
        higher=[higher_is_better(column) for column in table.columns] if table else (),
        rows=_rows(table, best_run_id, live_run_id) if table else (),
        sections=_sections(report, shown=SECTIONS_SHOWN if table else None),
    )


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("contexta_core.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    return environment.get_template("report.html.j2")


@cache
def _policy() -> Markup:
    """Nothing loads but this page's own style and script (by hash) and ``data:`` images."""
    style, script = _sha256(_asset("report.css")), _sha256(_asset("report.js"))
    return Markup(  # constants and base64 hashes only: quoted as they are
        f"default-src 'none'; img-src data:; style-src '{style}'; script-src '{script}'; "
        "base-uri 'none'; form-action 'none'"
    )


@cache
def _asset(name: str) -> str:
    return (files("contexta_core.render") / "templates" / name).read_text(encoding="utf-8")


def _facts(table: ReportTable, best_run_id: str | None, live_run_id: str | None) -> list[str]:
    runs = len(table.run_ids)
    failed = sum(1 for status in table.run_statuses if status == "failed")
    deployments = sum(len(names) for names in table.deployed)
    names = dict(zip(table.run_ids, table.run_names, strict=True))
    columns = len(table.columns)
    facts = [f"{runs} run{'s' if runs != 1 else ''}", f"{columns} metric column{'s' if columns != 1 else ''}"]
    facts += [f"{failed} failed"] if failed else []
    facts.append(f"{deployments} deployment{'s' if deployments != 1 else ''}")
    facts += [f"★ best: {names[best_run_id]}"] if best_run_id in names else []
    facts += [f"● live: {names[live_run_id]}"] if live_run_id in names else []
    return facts


def _chart(png: bytes) -> Chart:
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("chart_png is not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return Chart(base64.b64encode(png).decode("ascii"), width, height)


def _rows(table: ReportTable, best_run_id: str | None, live_run_id: str | None) -> Iterator[Row]:
    """Built column by column and flat (a 100,000-run page is mostly this loop)."""
    deployed_by_run = table.deployed or ((),) * len(table.run_ids)
    cells_by_run = zip(*(_metric_cells(column) for column in table.columns), strict=True)
    if not table.columns:
        cells_by_run = iter(((),) * len(table.run_ids))
    for run_id, name, status, started, deployed, cells in zip(
        table.run_ids,
        table.run_names,
        table.run_statuses,
        table.run_started,
        deployed_by_run,
        cells_by_run,
        strict=True,
    ):
        best, live = run_id == best_run_id, run_id == live_run_id
        badges: tuple[tuple[str, str], ...] = ()
        classes = "failed" if status == "failed" else ""
        if best or live or deployed:
            badges = ((("b-best", "★ best"),) if best else ()) + (
                (("b-live", "live"),) if live else (("b-dep", "deployed"),) if deployed else ()
            )
            flags = (("failed", status == "failed"), ("best-run", best), ("live", live))
            classes = " ".join(flag for flag, on in flags if on)
        text = format_utc(started)
        yield Row(
            run_id,
            name,
            badges,
            classes,
            f"{text[:10]} {text[11:16]}",
            status,
            status.lower().replace(" ", "-"),
            ", ".join(deployed),
            cells,
        )


def _metric_cells(column: MetricColumn) -> list[Cell]:
    cells = []
    label, best_index = column.label, column.best_index
    for i, value in enumerate(column.values):
        if value is None:
            cells.append(NO_VALUE)
            continue
        text = format_value(value)
        cells.append(Cell(text, None if _same(text, value) else repr(value), i == best_index, label))
    return cells


def _sections(report: ReportDocument, *, shown: tuple[str, ...] | None) -> list[Section]:
    return [
        Section(section.title, tuple(line for line in section.body.splitlines() if line.strip()))
        for section in report.sections
        if shown is None or section.title in shown
    ]


def _utc(moment: datetime) -> datetime:
    """Naive times are taken as UTC (the store's zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _same(text: str, value: float) -> bool:
    try:
        return float(text) == value
    except ValueError:
        return False


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
