"""The account of one import pass: what came in, and what was skipped and why."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_EXAMPLES = 3


@dataclass
class Skipped:
    reason: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    """Counts of what one pass wrote (new or changed), and the skipped items grouped by reason."""

    source: str
    projects: list[str] = field(default_factory=list)  # names of the projects that received data
    new_projects: int = 0
    new_runs: int = 0
    updated_runs: int = 0
    records: int = 0
    deployments: int = 0
    unchanged_runs: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def nothing_new(self) -> bool:
        return not (
            self.new_projects or self.new_runs or self.updated_runs or self.records or self.deployments
        )

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def skip(self, reason: str, example: str | None = None, count: int = 1) -> None:
        """Count ``count`` items skipped for ``reason`` (one line per reason in the summary)."""
        for entry in self.skipped:
            if entry.reason == reason:
                break
        else:
            entry = Skipped(reason)
            self.skipped.append(entry)
        entry.count += count
        if example is not None and len(entry.examples) < MAX_EXAMPLES and example not in entry.examples:
            entry.examples.append(example)

    def touched(self, project_name: str) -> None:
        if project_name not in self.projects:
            self.projects.append(project_name)
