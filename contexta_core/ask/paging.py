"""Pages of long answers: which rows one page of an answer holds, cut on whole rows.

Page sizes are chosen for chat (a Slack message holds 50 blocks); every surface asking for a
page of an answer gets the same rows, so "page 2" means the same in Slack and in the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

# Rows per page, by answer kind.
PAGE_SIZES = {"runs": 25, "trend": 25, "deployments": 20, "projects": 20, "full_report": 10}
REPORT_TOP_N = 10  # rows of the compact report table (the `report` answer)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, clamped to the last page
    size: int
    total: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.start + self.size, self.total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_more(self) -> bool:
        return self.end < self.total


def page_of(total: int, number: int, size: int) -> Page:
    """The requested page, or the last one when it is past the end."""
    pages = max(1, -(-total // size))
    return Page(number=min(max(1, number), pages), size=size, total=total)
