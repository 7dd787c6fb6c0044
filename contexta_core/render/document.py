"""The report document and its text renderers (Markdown, JSON, CSV).

A report is a title plus titled text sections (the original library's shape, so scripts that
print ``report.title`` or walk ``report.sections`` keep working) and, for multi-run reports, the
structured table it was written from, so renderers never re-parse text. ``report_document`` writes
the sections from the query's data; the queries themselves return data only.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from ..contract import format_utc
from ..direction import lower_is_better
from ..results import MetricColumn, MultiRunReport, ReportTable, to_jsonable
from ..text_safety import csv_cell, markdown_text
from .formatting import format_value, missing_runs_note


@dataclass(frozen=True, slots=True)
class ReportSection:
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class ReportDocument:
    title: str
    sections: tuple[ReportSection, ...]
    table: ReportTable | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def section(self, title: str) -> ReportSection:
        for section in self.sections:
            if section.title == title:
                return section
        raise KeyError(title)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "sections": [{"title": s.title, "body": s.body} for s in self.sections],
        }
        if self.table is not None:
            data["table"] = to_jsonable(self.table)
        if self.metadata:
            data["metadata"] = to_jsonable(self.metadata)
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        parts = [f"# {markdown_text(self.title)}"]  # names inside are data, never Markdown
        for section in self.sections:
            parts.append(f"\n## {markdown_text(section.title)}\n\n{markdown_text(section.body)}")
        return "\n".join(parts).strip() + "\n"

    def to_csv(self) -> str:
        """One row per run, one column per stage/metric (or the sections when there is no table)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if self.table is None:
            writer.writerow(["section_title", "body"])
            writer.writerows((csv_cell(s.title), csv_cell(s.body)) for s in self.sections)
            return buffer.getvalue()
        table = self.table
        writer.writerow(
            ["run_id", "name", "status", "started_at", "deployments", *[c.label for c in table.columns]]
        )
        for i, run_id in enumerate(table.run_ids):
            deployed = ";".join(table.deployed[i]) if table.deployed else ""
            text = [
                run_id,
                table.run_names[i],
                table.run_statuses[i],
                format_utc(table.run_started[i]),
                deployed,
            ]
            writer.writerow(  # text cells cannot run as formulas (OWASP); numbers stay numbers
                [csv_cell(cell) for cell in text]
                + ["" if c.values[i] is None else repr(c.values[i]) for c in table.columns]
            )
        return buffer.getvalue()


def report_title(run_count: int) -> str:
    """The report's name, as the original library titles it: the document's, and what a preview of
    it (Slack, the terminal) calls the document it previews."""
    return f"Multi Run Report: {run_count} runs"


def report_document(report: MultiRunReport) -> ReportDocument:
    """``Multi Run Report: N runs`` with the original library's sections (and a few more)."""
    table = report.table
    return ReportDocument(
        title=report_title(len(table.run_ids)),
        sections=(
            ReportSection("Summary", _summary(report)),
            ReportSection("Runs", _runs_section(table)),
            ReportSection("Run IDs", "\n".join(table.run_ids)),
            ReportSection("Metric Table", _metric_table(table)),
            ReportSection("Deployments", "\n".join(_deployment_lines(report)) or "No deployments."),
            ReportSection("Completeness Notes", _completeness(report)),
        ),
        table=table,
    )


def higher_is_better(column: MetricColumn) -> bool:
    """The direction the column's best was chosen by (by its metric's name when not recorded)."""
    if column.higher_is_better is None:
        return not lower_is_better(column.metric_key)
    return column.higher_is_better


def _day(moment) -> str:
    return format_utc(moment)[:10]


def _summary(report: MultiRunReport) -> str:
    table = report.table
    times = sorted(table.run_started)
    span = f" from {_day(times[0])} to {_day(times[-1])}" if times else ""
    failed = sum(1 for status in table.run_statuses if status == "failed")
    text = (
        f"Compared {len(table.run_ids)} runs{span}: {len(table.columns)} metric columns, "
        f"{len(report.deployments)} deployments"
    )
    if failed:
        text += f", {failed} failed runs"
    lines = [text + "."]
    for column in table.columns:
        if column.best_index is not None:
            best = table.run_names[column.best_index]
            direction = "highest" if higher_is_better(column) else "lowest"
            lines.append(
                f"Best {column.label} ({direction}): {best} = {format_value(column.values[column.best_index])}"
            )
    return "\n".join(lines)


def _runs_section(table: ReportTable) -> str:
    ordered = sorted(range(len(table.run_ids)), key=lambda i: (table.run_started[i], table.run_ids[i]))
    lines = []
    for i in ordered:
        deployed = table.deployed[i] if table.deployed else ()
        mark = f" — deployed: {', '.join(deployed)}" if deployed else ""
        lines.append(f"{_day(table.run_started[i])}  {table.run_names[i]}  [{table.run_statuses[i]}]{mark}")
    return "\n".join(lines)


def _metric_table(table: ReportTable) -> str:
    if not table.columns:
        return "No metric rows."
    lines = []
    for column in table.columns:
        cells = ", ".join(format_value(v) for v in column.values)
        best = f" (best: {table.run_names[column.best_index]})" if column.best_index is not None else ""
        lines.append(f"{column.label}: {cells}{best}")
    return "\n".join(lines)


def _deployment_lines(report: MultiRunReport) -> list[str]:
    names = report.table.run_names
    lines = [
        (d.started_at, f"{d.name} → {names[d.run_index]} ({_day(d.started_at)}, {d.status})")
        for d in report.deployments
    ]
    return [line for _, line in sorted(lines)]


def _completeness(report: MultiRunReport) -> str:
    table = report.table
    notes = []
    for column in table.columns:
        missing = [table.run_names[i] for i, v in enumerate(column.values) if v is None]
        if missing:
            notes.append(f"warning: {missing_runs_note(column.label, len(missing), missing)}")
    for stage, count in report.stages_without_records:
        notes.append(f"info: stage `{stage}` has no records in {count} run(s)")
    return "\n".join(notes) or "No completeness notes."
