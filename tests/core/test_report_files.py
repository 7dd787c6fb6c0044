"""Report files people open from chat: the complete report while small, else a summary page and the CSV."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import UTC, datetime

from contexta_core.render import report_files
from contexta_core.render.document import MetricColumn, ReportDocument, ReportTable
from contexta_core.render.report_files import is_large, shareable_report_files, table_csv, top_rows


def table_of(values: list[float | None], deployed: list[tuple[str, ...]] | None = None) -> ReportTable:
    n = len(values)
    return ReportTable(
        run_ids=tuple(f"run:p.r{i}" for i in range(n)),
        run_names=tuple(f"r{i}" for i in range(n)),
        run_statuses=("completed",) * n,
        run_started=(datetime(2026, 1, 1, tzinfo=UTC),) * n,
        columns=(MetricColumn("evaluate", "accuracy", tuple(values), None),),
        deployed=tuple(deployed or [()] * n),
    )


def test_large_means_more_cells_than_a_page_opens_comfortably() -> None:
    cells_per_run = 1 + 4  # one metric column and the run columns
    fits = report_files.FULL_PAGE_CELLS // cells_per_run
    assert not is_large(ReportDocument("r", (), table_of([0.5] * fits)))
    assert is_large(ReportDocument("r", (), table_of([0.5] * (fits + 1))))
    assert not is_large(ReportDocument("r", ()))  # no table: nothing to summarise


def test_top_rows_are_the_best_then_the_deployed_ones(monkeypatch) -> None:
    monkeypatch.setattr(report_files, "TOP_RUNS", 2)
    table = table_of([0.5, 0.9, None, 0.9, 0.7], [(), (), ("prod-1",), (), ("prod-2",)])
    column = table.columns[0]
    assert top_rows(table, column, higher_is_better=True) == [1, 3, 2, 4]  # a tie goes to the earlier run
    assert top_rows(table, column, higher_is_better=False) == [0, 4, 2]
    assert top_rows(table, None, higher_is_better=True) == [3, 4, 2]  # no metric: the latest runs


def test_the_csv_is_gzipped_above_the_threshold(monkeypatch) -> None:
    document = ReportDocument("Multi Run Report: 3 runs", (), table_of([0.1, 0.2, 0.3]))
    plain = table_csv("p", document)
    assert (plain.filename, plain.mime) == ("p-report.csv", "text/csv")
    monkeypatch.setattr(report_files, "COMPRESS_CSV_ABOVE", len(plain.content) - 1)
    packed = table_csv("p", document)
    assert (packed.filename, packed.mime) == ("p-report.csv.gz", "application/gzip")
    assert gzip.decompress(packed.content) == plain.content


def test_a_small_project_gets_the_complete_markdown_and_html(demo_ctx) -> None:
    files = shareable_report_files(demo_ctx, "churn-prediction")
    assert [f.filename for f in files] == ["churn-prediction-report.md", "churn-prediction-report.html"]


def test_a_large_project_gets_a_summary_page_and_every_run_as_csv(demo_ctx, monkeypatch) -> None:
    monkeypatch.setattr(report_files, "FULL_PAGE_CELLS", 10)
    monkeypatch.setattr(report_files, "TOP_RUNS", 2)
    page, table = shareable_report_files(demo_ctx, "churn-prediction")
    assert (page.filename, table.filename) == (
        "churn-prediction-report-summary.html",
        "churn-prediction-report.csv",
    )
    html = page.content.decode()
    assert "the top 2 runs by evaluate/accuracy and the latest deployed runs" in html
    assert "churn-v6-apr" in html and "data:image/png;base64," in html  # the best run and the chart
    assert "prod-deploy" in html  # the deployments
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert len(rows) == 1 + 6  # every run
