"""TensorBoard logs → one project's runs: each run folder's scalars, read with TensorBoard's own
event reader (``EventAccumulator``; the ``import`` extra).

A run folder is any folder under LOGDIR holding event files, named by its path below LOGDIR
(``mnist/lr-0.01/train``), as TensorBoard names its runs. Scalars written either way (the
``simple_value`` of tensorboardX and PyTorch, the tensors of TensorFlow 2) are read, all of them
(the reader's default keeps a sample of 1,000). A folder is read again only when its event files
grew; only values not imported yet are written.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

from .drafts import MetricPoint, ProjectDraft, RunDraft
from .errors import ImportSourceError, missing_extra
from .naming import digest, metric_key_from, ref_component
from .progress import NoProgress, Progress
from .writer import ImportWriter

EVENT_FILE_MARK = "tfevents"


class TensorBoardImporter:
    kind = "tensorboard"

    def __init__(self, location: str, *, project: str):
        try:
            from tensorboard.backend.event_processing import plugin_event_accumulator  # noqa: F401
        except ImportError:
            raise missing_extra("tensorboard", "TensorBoard logs") from None
        root = Path(location).expanduser().resolve()
        if not root.is_dir():
            raise ImportSourceError(f"{root} is not a folder; point at the LOGDIR you would give TensorBoard")
        if not project or not project.strip():
            raise ImportSourceError(
                "--project must name the project the runs belong to, e.g. --project mnist"
            )
        self.root = root
        self.project_name = project.strip()
        self.source = f"tensorboard {root} → {self.project_name}"

    def run_pass(self, writer: ImportWriter, *, full: bool, progress: Progress | None = None) -> None:
        progress = progress or NoProgress()
        folders = self._run_folders()
        if not folders:
            writer.summary.skip("no event files (*tfevents*) under the log folder", str(self.root))
            return
        previous = writer.previous_runs([self._item(f) for f in folders])
        changed = [
            f for f in folders if (b := previous.get(self._item(f))) is None or b.fingerprint != _stamp(f)
        ]
        writer.summary.unchanged_runs += len(folders) - len(changed)
        if not changed:
            return
        project = ProjectDraft(
            item="project",
            slug=ref_component(self.project_name, "tensorboard"),
            name=self.project_name,
            created_at=datetime.now(UTC),
            merge_by_name=True,
        )
        if writer.ensure_project(project) is None:
            return
        progress.start(len(changed), "TensorBoard runs")
        for folder in changed:
            draft = self._draft(folder, writer)
            if draft is not None:
                writer.write_runs([draft])
            progress.advance()

    def _run_folders(self) -> list[Path]:
        found = {p.parent for p in self.root.rglob(f"*{EVENT_FILE_MARK}*") if p.is_file()}
        return sorted(found)

    def _item(self, folder: Path) -> str:
        return f"run/{folder.relative_to(self.root).as_posix()}"

    def _draft(self, folder: Path, writer: ImportWriter) -> RunDraft | None:
        from tensorboard.backend.event_processing.plugin_event_accumulator import EventAccumulator
        from tensorboard.util import tensor_util

        name = folder.relative_to(self.root).as_posix()
        if name == ".":
            name = self.root.name
        accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0, "scalars": 0})
        try:
            accumulator.Reload()
        except Exception as exc:  # a truncated or foreign file: say which, go on with the others
            writer.summary.skip(f"event files not readable: {str(exc).splitlines()[0][:120]}", name)
            return None
        points: list[MetricPoint] = []
        used: dict[str, str] = {}
        for tag in accumulator.PluginTagToContent("scalars"):
            key = metric_key_from(tag)
            if key is None or used.setdefault(key, tag) != tag:
                writer.summary.skip(
                    "scalar tag that maps onto another tag's key (or has no letters)", f"{name}: {tag}"
                )
                continue
            bad = 0
            for event in accumulator.Tensors(tag):
                value = _scalar(tensor_util.make_ndarray(event.tensor_proto))
                if not math.isfinite(value):
                    bad += 1
                    continue
                at = datetime.fromtimestamp(event.wall_time, UTC)
                step = event.step if event.step >= 0 else None
                points.append(
                    MetricPoint(key, value, step, at, "s-" + digest(tag, event.step, event.wall_time, value))
                )
            if bad:
                writer.summary.skip("scalar value is NaN or infinite", f"{name}: {tag}", count=bad)
        try:
            started = datetime.fromtimestamp(accumulator.FirstEventTimestamp(), UTC)
        except ValueError:
            started = min((p.observed_at for p in points), default=None)
        if started is None:
            writer.summary.skip("run folder without events", name)
            return None
        points.sort(key=lambda p: (p.observed_at, p.step or 0))
        ended = max([started, *(p.observed_at for p in points)])
        slug = ref_component(name, "run")
        return RunDraft(
            item=self._item(folder),
            project_item="project",
            slug=slug,
            alt_slug=f"{slug[:54].rstrip('-')}-{digest(name, size=8)}",
            name=name,
            status="completed",  # event files say nothing of how a run ended
            started_at=started,
            ended_at=ended,
            fingerprint=_stamp(folder),
            points=points,
        )


def _scalar(array) -> float:
    """A logged scalar; float32 values (what every writer logs) as the decimal they were written
    as, 0.9 rather than 0.8999999761581421."""
    scalar = array.reshape(-1)[0]
    return float(str(scalar)) if array.dtype.name == "float32" else float(scalar)


def _stamp(folder: Path) -> str:
    """Names and sizes of a run folder's event files: they only grow while a run writes."""
    files = sorted(p for p in folder.iterdir() if EVENT_FILE_MARK in p.name and p.is_file())
    return digest([(p.name, p.stat().st_size) for p in files])
