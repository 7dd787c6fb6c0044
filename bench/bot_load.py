"""Quick answers while full reports build: a real `contexta-bot` (gunicorn, HTTP mode) on loopback.

The bot answers from a SQLite workspace of three projects of N runs (3 metrics each; N = 10,000
and 100,000 by default, to show how the cost grows) and posts to a loopback Slack stand-in;
requests are signed exactly as Slack signs them. Per size, two runs of a fresh bot process each
(so every answer is a cache miss):

- alone: 30 quick questions (best run, deployments, a page of runs) over 6 seconds;
- loaded: the same, while three people ask for the three projects' full reports at once.

It reports the ack latency (HTTP response) and the answer latency (request sent → answer at the
stand-in) p50/p95/p99, the bot's CPU time per quick answer (wall times on a shared 2-core machine
are noisy; CPU time is not), the load average around each phase, the slowest questions, when each
full report and its files arrived, their sizes, and the peak memory of the bot process and of its
heavy-job workers. Targets at 100,000 runs: quick p95 ≤ 1 s and ack p99 ≤ 1 s under load. Usage:

    .venv/bin/python bench/bot_load.py [--runs 10000,100000] [--workspace DIR (kept and reused)]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contexta_core.synthetic import BusyProject
from tests.support.signed_requests import block_action, post, slash_command
from tests.support.slack_standin import SlackStandIn

PROJECTS = ("bench-a", "bench-b", "bench-c")
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
QUICK = 30
SPREAD_SECONDS = 6.0


def quick_questions() -> list[str]:
    """30 different quick questions (so none is answered from another's cache)."""
    per_project = [
        "best {p}",
        "best {p} f1",
        "best {p} loss",
        "deployments {p}",
        "deployments {p} f1",
        "runs {p}",
        "runs {p} --page 2",
        "runs {p} --page 3",
        "runs {p} --page 4",
        "runs {p} --page 5",
    ]
    return [q.format(p=p) for q in per_project for p in PROJECTS][:QUICK]


def build_workspace(root: Path, runs: int) -> None:
    from contexta_core import Contexta

    with Contexta(workspace=root) as ctx:
        for project in PROJECTS:
            BusyProject(project, runs, producer="bench").write(ctx)
            print(f"  built {project}: {runs:,} runs", file=sys.stderr, flush=True)


def read_through(path: Path) -> None:
    """Read the database file once, so it starts in the OS page cache as a serving bot's would be:
    each phase then measures the bot's work, not the disk after whatever else ran on the machine."""
    with path.open("rb") as file:
        while file.read(1 << 24):
            pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bot:
    """`contexta-bot --port N` as Slack would reach it, and the memory of its process tree."""

    def __init__(
        self,
        workspace: Path,
        standin: SlackStandIn,
        log: Path,
        heavy_workers: int | None = None,
        extra: dict[str, str] | None = None,
    ):
        self.port = free_port()
        exe = Path(sys.executable).with_name("contexta-bot")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CONTEXTA_"))}
        env.update(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=standin.api_url,
            CONTEXTA_WORKSPACE=str(workspace),
            CONTEXTA_DIGESTS="off",
        )
        if heavy_workers is not None:
            env["CONTEXTA_HEAVY_WORKERS"] = str(heavy_workers)
        env.update(extra or {})
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [str(exe), "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        self.peak_mb: dict[str, float] = {}
        self._sampling = True
        self._wait_healthy()
        threading.Thread(target=self._sample_memory, daemon=True).start()

    def _wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"contexta-bot exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("contexta-bot never became healthy")

    def _sample_memory(self) -> None:
        while self._sampling:
            for role, mb in _tree_rss(self.process.pid).items():
                self.peak_mb[role] = max(self.peak_mb.get(role, 0.0), mb)
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the bot process (gunicorn's worker) has used so far."""
        return _tree_rss(self.process.pid)["bot_cpu_s"]

    def stop(self) -> None:
        self._sampling = False
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _tree_rss(root: int) -> dict[str, float]:
    """RSS in MB of gunicorn's master, its worker (the bot) and the worker's heavy-job processes (summed)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry.name), int(fields["PPid"])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    found = {"master": rss.get(root, 0.0), "bot": 0.0, "workers": 0.0, "bot_cpu_s": 0.0}
    for worker in children.get(root, []):
        found["bot"] += rss.get(worker, 0.0)
        found["bot_cpu_s"] += _cpu_seconds(worker)
        found["workers"] += sum(rss.get(pid, 0.0) for pid in children.get(worker, []))
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def send(bot: Bot, built: tuple[str, dict[str, str]], acks: list[float]) -> None:
    started = time.monotonic()
    status, _, _ = post(bot.url, *built, timeout=10)
    acks.append(time.monotonic() - started)
    if status != 200:
        raise SystemExit(f"the bot answered HTTP {status}")


def run_phase(
    workspace: Path, standin: SlackStandIn, log: Path, *, with_reports: bool, heavy_workers: int | None
) -> dict:
    standin.reset()
    bot = Bot(workspace, standin, log, heavy_workers)
    try:
        acks: list[float] = []
        send(bot, slash_command("help", secret=SECRET, response_url=standin.response_url("warm")), [])
        standin.wait_for("response_url", 1, timeout=30)  # the bot's first request runs auth.test
        threads: list[threading.Thread] = []
        sent_at: dict[str, float] = {}
        report_sent: dict[str, float] = {}
        load_before = os.getloadavg()[0]
        cpu_before = bot.cpu_seconds()
        if with_reports:
            for k, project in enumerate(PROJECTS):
                value = json.dumps({"project": project, "lang": "en", "page": 1})
                built = block_action(
                    "full_report",
                    value,
                    secret=SECRET,
                    user_id=f"U{k}",
                    channel_id="C1",
                    message_ts=report_ts(k),
                    response_url=standin.response_url(f"report{k}"),
                )
                report_sent[project] = time.time()
                threads.append(threading.Thread(target=send, args=(bot, built, acks)))
                threads[-1].start()
            time.sleep(0.3)  # the reports are building when the questions start
        for i, question in enumerate(quick_questions()):
            key = f"q{i}"
            built = slash_command(question, secret=SECRET, response_url=standin.response_url(key))
            sent_at[key] = time.time()
            threads.append(threading.Thread(target=send, args=(bot, built, acks)))
            threads[-1].start()
            time.sleep(SPREAD_SECONDS / QUICK)
        for thread in threads:
            thread.join()
        answers = [wait_for_response(standin, key, 120) - at for key, at in sent_at.items()]
        # the bot's CPU while the questions were answered (and, loaded, the reports handed over)
        cpu_quick = bot.cpu_seconds() - cpu_before
        slowest = sorted(zip(answers, quick_questions(), strict=True), reverse=True)[:3]
        result = {
            "load": (load_before, os.getloadavg()[0]),
            "ack_p50": percentile(acks, 50),
            "ack_p95": percentile(acks, 95),
            "ack_p99": percentile(acks, 99),
            "quick_p50": percentile(answers, 50),
            "quick_p95": percentile(answers, 95),
            "quick_p99": percentile(answers, 99),
            "quick_max": max(answers),
            "cpu_per_answer_ms": cpu_quick / len(answers) * 1000,
            "slowest": slowest,
        }
        if with_reports:
            result["reports"] = _reports(standin, report_sent)
        time.sleep(0.5)
        result["peak_mb"] = dict(bot.peak_mb)
        return result
    finally:
        bot.stop()


def _reports(standin: SlackStandIn, sent: dict[str, float]) -> dict:
    """When each project's full report (the page, then its files) reached its thread, and the file sizes."""
    standin.wait_for("files.completeUploadExternal", len(sent), timeout=600)
    done = {}
    for k, (project, at) in enumerate(sent.items()):
        texts = [
            (c, c.params.get("text") or "")
            for c in standin.calls()
            if c.method in ("chat.update", "chat.postMessage")
        ]
        page = [c for c, text in texts if "Multi Run Report" in text and text.endswith(f"for {project}")]
        uploaded = [
            c
            for c in standin.calls("files.completeUploadExternal")
            if c.params.get("thread_ts") == report_ts(k)
        ]
        ids = [entry["id"] for c in uploaded for entry in json.loads(c.params["files"])]
        done[project] = {
            "page_s": page[0].at - at if page else float("nan"),
            "files_s": uploaded[0].at - at if uploaded else float("nan"),
            "files": {standin.files[i].filename: len(standin.files[i].content or b"") for i in ids},
            "building_shown": any(
                "Building the full report" in text and f"`{project}`" in text for _, text in texts
            ),
        }
    return done


def report_ts(k: int) -> str:
    return f"1700000000.00010{k}"


def wait_for_response(standin: SlackStandIn, key: str, timeout: float) -> float:
    """When the answer sent to `response_url(key)` arrived (epoch seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = standin.responses(key)
        if found:
            return found[0].at
        time.sleep(0.01)
    raise SystemExit(f"no answer on response_url {key} within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", default="10000,100000", help="runs per project (three projects), comma-separated sizes"
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        help="build here once (a folder per size) and reuse (default: a temporary one)",
    )
    parser.add_argument("--heavy-workers", type=int, help="CONTEXTA_HEAVY_WORKERS (default: the bot's own)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.runs.split(",")]
    temporary = None
    if args.workspace is None:
        temporary = Path(tempfile.mkdtemp(prefix="contexta-bot-load-"))
        args.workspace = temporary
    try:
        measured = []
        with SlackStandIn() as standin:
            for runs in sizes:
                workspace = args.workspace / f"{runs}-runs"
                if not (workspace / "contexta.db").exists():
                    build_workspace(workspace, runs)
                log = args.workspace / f"{runs}-runs-bot.log"
                read_through(workspace / "contexta.db")
                phase = partial(run_phase, workspace, standin, log, heavy_workers=args.heavy_workers)
                alone, loaded = phase(with_reports=False), phase(with_reports=True)
                measured.append((runs, alone, loaded))
                print(f"  measured {runs:,} runs", file=sys.stderr, flush=True)
        print_results(measured, args.heavy_workers)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def print_results(measured: list[tuple[int, dict, dict]], heavy_workers: int | None) -> None:
    from contexta_core.jobs import default_worker_count

    workers = heavy_workers or default_worker_count()
    print(
        f"machine: {os.cpu_count()} cores; heavy workers per bot: {workers}; "
        "workspaces: 3 projects × N runs × 3 metrics (SQLite)\n"
    )
    print(
        "| runs | phase | load avg | ack p50 s | ack p95 s | ack p99 s | quick p50 s | quick p95 s "
        "| quick p99 s | quick max s | bot CPU ms / answer | bot MB | workers MB |"
    )
    print("|---:|---|---|" + "---:|" * 10)
    for runs, alone, loaded in measured:
        for name, row in (("30 quick questions alone", alone), ("… while 3 full reports build", loaded)):
            mb = row["peak_mb"]
            print(
                f"| {runs:,} | {name} | {row['load'][0]:.1f}→{row['load'][1]:.1f} | {row['ack_p50']:.3f} "
                f"| {row['ack_p95']:.3f} | {row['ack_p99']:.3f} | {row['quick_p50']:.2f} | {row['quick_p95']:.2f} "
                f"| {row['quick_p99']:.2f} | {row['quick_max']:.2f} | {row['cpu_per_answer_ms']:.0f} "
                f"| {mb.get('bot', 0):.0f} | {mb.get('workers', 0):.0f} |"
            )
    print(
        "\nload avg: the machine's 1-minute load average when the phase started → ended (other work included);"
    )
    print(
        "bot CPU ms / answer: the bot process's CPU time from the first question to the last answer, per answer"
    )
    print(
        "(with reports: their hand-over and upload too); bot MB / workers MB: peak RSS of the bot process /"
    )
    print("of its heavy-job workers (summed). Slowest quick answers:")
    for runs, alone, loaded in measured:
        for name, row in (("alone", alone), ("loaded", loaded)):
            slowest = ", ".join(f"`{q}` {s:.2f} s" for s, q in row["slowest"])
            print(f"- {runs:,} runs, {name}: {slowest}")
    print("\n| runs | full report | building… shown | page after s | files after s | files |")
    print("|---:|---|---|---:|---:|---|")
    for runs, _, loaded in measured:
        for project, report in loaded["reports"].items():
            files = ", ".join(
                f"{name} ({size / 1e6:.2f} MB)" for name, size in sorted(report["files"].items())
            )
            print(
                f"| {runs:,} | {project} | {'yes' if report['building_shown'] else 'no'} | {report['page_s']:.1f} "
                f"| {report['files_s']:.1f} | {files} |"
            )
    runs, _, loaded = measured[-1]
    ok = loaded["quick_p95"] <= 1.0 and loaded["ack_p99"] <= 1.0
    print(
        f"\ntargets at {runs:,} runs (quick p95 ≤ 1 s, ack p99 ≤ 1 s while 3 full reports build): "
        f"{'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
