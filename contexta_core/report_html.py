"""The multi-run report as one self-contained HTML page: a pure function of the report document.

One file that can be mailed, attached to Slack or opened from disk years later: CSS, the sort
script and the chart (a base64 ``data:`` URI) are inline and nothing is fetched. A
Content-Security-Policy pins that down: only this page's own style and script (by hash) and
``data:`` images may load. The table is plain HTML first (readable with scripts off); the small
script only adds click-to-sort and sets ``data-ready="1"`` on ``<body>`` once it has run.
Every piece of text from the store goes through ``html.escape``.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from datetime import UTC, datetime
from html import escape

from .direction import lower_is_better
from .formatting import format_value
from .reports import MetricColumn, ReportDocument, ReportTable

SECTIONS_SHOWN = ("Summary", "Deployments", "Completeness Notes")  # the rest repeat the table
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

STYLE = """
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--best:#b45309;--best-bg:#fef3c7;--dep:#047857;
--dep-bg:#d1fae5;--fail:#b91c1c;--fail-bg:#fef2f2;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;padding:24px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans",sans-serif;color:var(--ink);background:#f9fafb}
main{max-width:1240px;margin:0 auto;background:#fff;border:1px solid var(--line);border-radius:10px;
padding:24px 28px}
h1{margin:0;font-size:26px}h2{font-size:18px;margin:28px 0 8px}
.subtitle{margin:2px 0 12px;color:var(--muted)}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 16px;padding:0;list-style:none}
.facts li{background:#f3f4f6;border-radius:999px;padding:3px 12px;font-size:14px}
.chart{margin:0 0 8px}.chart img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
.table-wrap{max-height:80vh;overflow:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
thead th{position:sticky;top:0;background:#f3f4f6;z-index:1;vertical-align:bottom}
thead th small{display:block;font-weight:normal;color:var(--muted);font-size:12px}
tbody th{font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.best{background:var(--best-bg);color:var(--best);font-weight:700}
td.best::before{content:"\\2605  "}
td.s-failed{color:var(--fail);font-weight:700}td.s-running,td.s-open{color:var(--accent)}
tr.failed{background:var(--fail-bg)}tr.live th{box-shadow:inset 4px 0 var(--dep)}
td.dep{color:var(--dep)}
.badge{display:inline-block;margin-left:6px;padding:0 7px;border-radius:999px;font-size:12px;
font-weight:600;vertical-align:1px}
.b-best{background:var(--best-bg);color:var(--best)}.b-live{background:var(--dep);color:#fff}
.b-dep{background:var(--dep-bg);color:var(--dep)}
body[data-ready="1"] thead th{cursor:pointer;user-select:none}
body[data-ready="1"] thead th:hover{background:#e5e7eb}
thead th{padding-right:20px}th[aria-sort$="ending"]::after{position:absolute;right:6px;bottom:8px;font-size:11px}
th[aria-sort="ascending"]::after{content:"\\25B2"}th[aria-sort="descending"]::after{content:"\\25BC"}
.section ul{margin:0;padding-left:20px}.empty{color:var(--muted)}
footer{margin-top:28px;color:var(--muted);font-size:13px}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("runs");
  if (table) {
    var body = table.tBodies[0], heads = table.tHead.rows[0].cells, state = {col: -1, desc: false};
    var collate = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"}).compare;
    var keyOf = function (row, col, num) {
      var cell = row.cells[col], v = cell.getAttribute("data-v");
      if (v === null) v = cell.textContent.trim();
      if (!num) return v === "" ? null : v;
      var n = parseFloat(v);
      return isNaN(n) ? null : n;
    };
    var sortBy = function (col, desc) {
      var num = heads[col].getAttribute("data-type") === "num";
      var keyed = Array.prototype.map.call(body.rows, function (row, i) {
        return [keyOf(row, col, num), i, row];
      });
      keyed.sort(function (a, b) {
        if (a[0] === null || b[0] === null) {
          return a[0] === b[0] ? a[1] - b[1] : (a[0] === null ? 1 : -1);
        }
        var c = num ? a[0] - b[0] : collate(a[0], b[0]);
        return (desc ? -c : c) || a[1] - b[1];
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (k) { frag.appendChild(k[2]); });
      body.appendChild(frag);
      for (var i = 0; i < heads.length; i++) {
        heads[i].setAttribute("aria-sort", i === col ? (desc ? "descending" : "ascending") : "none");
      }
      state = {col: col, desc: desc};
    };
    var firstDesc = function (col) { return heads[col].getAttribute("data-first") === "desc"; };
    Array.prototype.forEach.call(heads, function (th, col) {
      var activate = function () { sortBy(col, state.col === col ? !state.desc : firstDesc(col)); };
      th.tabIndex = 0;
      th.addEventListener("click", activate);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); }
      });
    });
    var m = /^#sort=(\\d+)(?::(asc|desc))?$/.exec(window.location.hash);
    if (m && +m[1] < heads.length) sortBy(+m[1], m[2] ? m[2] === "desc" : firstDesc(+m[1]));
  }
  document.body.setAttribute("data-ready", "1");
})();
"""


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
    parts = [
        _head(f"{project_name} · {report.title}"),
        f"<main>\n<header><h1>{escape(project_name)}</h1>\n<p class=subtitle>{escape(report.title)}</p>\n",
        _facts(table, best_run_id, live_run_id) if table else "",
        "</header>\n",
        _chart(chart_png, project_name) if chart_png else "",
        _table(table, best_run_id, live_run_id) if table else "",
        _sections(report, shown=SECTIONS_SHOWN if table else None),
        _footer(generated_at, source),
        f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


def _head(title: str) -> str:
    policy = (
        "default-src 'none'; img-src data:; "
        f"style-src '{_sha256(STYLE)}'; script-src '{_sha256(SCRIPT)}'; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    )


def _facts(table: ReportTable, best_run_id: str | None, live_run_id: str | None) -> str:
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
    return "<ul class=facts>" + "".join(f"<li>{escape(fact)}</li>" for fact in facts) + "</ul>\n"


def _chart(png: bytes, project_name: str) -> str:
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("chart_png is not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    data = base64.b64encode(png).decode("ascii")
    alt = escape(f"Metric trend chart for {project_name}")
    return (
        f'<figure class=chart><img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
        f'alt="{alt}"></figure>\n'
    )


def _table(table: ReportTable, best_run_id: str | None, live_run_id: str | None) -> str:
    heads = [
        '<th scope=col data-first="asc">Run</th>',
        '<th scope=col data-first="desc">Started (UTC)</th>',
        '<th scope=col data-first="asc">Status</th>',
        '<th scope=col data-first="asc">Deployments</th>',
    ]
    for column in table.columns:
        lower = lower_is_better(column.metric_key)
        heads.append(
            f'<th scope=col data-type="num" data-first="{"asc" if lower else "desc"}">{escape(column.label)}'
            f"<small>{'↓' if lower else '↑'} better</small></th>"
        )
    rows = [
        _row(table, i, best_run_id=best_run_id, live_run_id=live_run_id) for i in range(len(table.run_ids))
    ]
    return (
        "<h2>Runs</h2>\n<div class=table-wrap>\n<table id=runs>\n<thead><tr>"
        + "".join(heads)
        + "</tr></thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody>\n</table>\n</div>\n"
    )


def _row(table: ReportTable, i: int, *, best_run_id: str | None, live_run_id: str | None) -> str:
    run_id, status = table.run_ids[i], table.run_statuses[i]
    deployed = table.deployed[i] if table.deployed else ()
    badges = ""
    if run_id == best_run_id:
        badges += "<span class='badge b-best'>★ best</span>"
    if run_id == live_run_id:
        badges += "<span class='badge b-live'>live</span>"
    elif deployed:
        badges += "<span class='badge b-dep'>deployed</span>"
    name = escape(table.run_names[i])
    flags = (
        ("failed", status == "failed"),
        ("best-run", run_id == best_run_id),
        ("live", run_id == live_run_id),
    )
    classes = " ".join(flag for flag, on in flags if on)
    sort_key = f' data-v="{name}"' if badges else ""  # the name without its badges
    started = table.run_started[i]
    started = f"{started[:10]} {started[11:16]}" if len(started) >= 16 else started
    status_class = escape(status.lower().replace(" ", "-"))
    cells = [
        f'<th scope=row{sort_key} title="{escape(run_id)}">{name}{badges}</th>',
        f"<td>{escape(started)}</td>",
        f'<td class="st s-{status_class}">{escape(status)}</td>',
        f"<td class=dep>{escape(', '.join(deployed))}</td>",
    ]
    cells += [_metric_cell(column, i) for column in table.columns]
    row_class = f' class="{classes}"' if classes else ""
    return f"<tr{row_class}>{''.join(cells)}</tr>\n"


def _metric_cell(column: MetricColumn, i: int) -> str:
    value = column.values[i]
    if value is None:
        return "<td class=n>—</td>"
    text = format_value(value)
    exact = "" if _same(text, value) else f' data-v="{value!r}"'
    if column.best_index == i:
        return f'<td class="n best" title="best {escape(column.label)}"{exact}>{escape(text)}</td>'
    return f"<td class=n{exact}>{escape(text)}</td>"


def _sections(report: ReportDocument, *, shown: tuple[str, ...] | None) -> str:
    parts = []
    for section in report.sections:
        if shown is not None and section.title not in shown:
            continue
        lines = [line for line in section.body.splitlines() if line.strip()]
        body = (
            "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
            if lines
            else "<p class=empty>None.</p>"
        )
        parts.append(f"<section class=section>\n<h2>{escape(section.title)}</h2>\n{body}\n</section>\n")
    return "".join(parts)


def _footer(generated_at: datetime, source: str) -> str:
    moment = generated_at.replace(tzinfo=UTC) if generated_at.tzinfo is None else generated_at.astimezone(UTC)
    return (
        f'<footer>Generated at <time datetime="{moment:%Y-%m-%dT%H:%M:%SZ}">{moment:%Y-%m-%d %H:%M:%S} UTC'
        f"</time> from {escape(source)}</footer>\n"
    )


def _same(text: str, value: float) -> bool:
    try:
        return float(text) == value
    except ValueError:
        return False


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
