"""Report documents and their renderers (Markdown, JSON, CSV).

A report is a title plus titled text sections (the original library's shape, so scripts that
print ``report.title`` or walk ``report.sections`` keep working) and, for multi-run reports, the
structured table it was written from, so renderers never re-parse text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from .results import to_jsonable


@dataclass(frozen=True, slots=True)
class ReportSection:
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """One (stage, metric) column of the comparison table, with the best run per direction."""

    stage_name: str | None
    metric_key: str
    values: tuple[float | None, ...]  # aligned with ReportTable.run_ids
    best_index: int | None

    @property
    def label(self) -> str:
        return f"{self.stage_name or 'run'}/{self.metric_key}"


@dataclass(frozen=True, slots=True)
class ReportTable:
    run_ids: tuple[str, ...]
    run_names: tuple[str, ...]
    run_statuses: tuple[str, ...]
    run_started: tuple[str, ...]
    columns: tuple[MetricColumn, ...]
    deployed: tuple[tuple[str, ...], ...] = ()  # deployment names per run, aligned with run_ids


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
        parts = [f"# {self.title}"]
        for section in self.sections:
            parts.append(f"\n## {section.title}\n\n{section.body}")
        return "\n".join(parts).strip() + "\n"

    def to_csv(self) -> str:
        """One row per run, one column per stage/metric (or the sections when there is no table)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if self.table is None:
            writer.writerow(["section_title", "body"])
            writer.writerows((s.title, s.body) for s in self.sections)
            return buffer.getvalue()
        table = self.table
        writer.writerow(
            ["run_id", "name", "status", "started_at", "deployments", *[c.label for c in table.columns]]
        )
        for i, run_id in enumerate(table.run_ids):
            deployed = ";".join(table.deployed[i]) if table.deployed else ""
            writer.writerow(
                [run_id, table.run_names[i], table.run_statuses[i], table.run_started[i], deployed]
                + ["" if c.values[i] is None else repr(c.values[i]) for c in table.columns]
            )
        return buffer.getvalue()
