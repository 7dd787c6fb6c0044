"""``make bench``: build synthetic workspaces at 1k/10k/100k runs and time the queries people ask.

Each size is built in one child process (ingest) and queried in a fresh one, so the query
process's peak RSS is what a bot process would hold. Prints a Markdown table, then the ingest of
training curves (``--curves``: runs × 3 metrics × steps), where a record is one step of a metric
rather than a whole run's summary.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contexta_core.synthetic import BusyProject, append_in_chunks

PROJECT = "bench"


def workload(n: int, steps: int = 1) -> BusyProject:
    """A busy team's project: n runs × (train, evaluate) × 3 metrics (``steps`` values each), 5%
    failed, 10 deployments."""
    return BusyProject(PROJECT, n, producer="bench", steps=steps)


def timed(fn: Callable[[], object], repeat: int, *, before: Callable[[], object] | None = None) -> float:
    """Median wall time in milliseconds (``before`` runs untimed ahead of each sample)."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def ingest(workspace: str, database_url: str | None, n: int, out, steps: int = 1) -> None:
    from contexta_core import Contexta

    with Contexta(workspace=workspace, database_url=database_url) as ctx:
        project = workload(n, steps)
        project.write_metadata(ctx)
        start = time.perf_counter()
        records = project.records()
        built = time.perf_counter() - start
        server_cpu = _server_cpu_clock(ctx)
        server_before = server_cpu()
        cpu_before = time.process_time()
        start = time.perf_counter()
        append_in_chunks(ctx, records)
        appended = time.perf_counter() - start
        client_us = (time.process_time() - cpu_before) / len(records) * 1e6
        server_us = (server_cpu() - server_before) / len(records) * 1e6 if server_before is not None else None
        if not ctx.database.is_sqlite:
            # what autovacuum does within a minute of a bulk load: statistics and the visibility map
            # (without them PostgreSQL plans as if the tables were empty and re-checks every heap row)
            with ctx.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
    out.put(
        {
            "records": len(records),
            "build_rate": len(records) / built,
            "append_rate": len(records) / appended,
            "append_client_us": client_us,
            **({"append_server_us": server_us} if server_us is not None else {}),
            "load": os.getloadavg()[0],
        }
    )


def _server_cpu_clock(ctx) -> Callable[[], float | None]:
    """CPU seconds used so far by the PostgreSQL backend serving this workspace's connection (None
    for SQLite, or a server on another machine): the ingest's cost apart from the machine's load."""
    if ctx.database.is_sqlite:
        return lambda: None
    with ctx.database.engine.connect() as conn:  # the pool's one connection, reused by every append
        stat = Path(f"/proc/{conn.exec_driver_sql('SELECT pg_backend_pid()').scalar()}/stat")

    def cpu() -> float | None:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return cpu


def query(workspace: str, database_url: str | None, n: int, out) -> None:
    from contexta_core import Contexta

    results: dict[str, float] = {}
    with Contexta(workspace=workspace, database_url=database_url) as ctx:
        cold = ctx.cache.clear  # every number below is a cache miss unless it says "warm"
        run_name = workload(n).run_name
        ids = [f"run:{PROJECT}.{run_name(i)}" for i in range(n)]
        results["open_ms"] = timed(
            lambda: Contexta(workspace=workspace, database_url=database_url).close(), 3
        )
        results["best_ms"] = timed(
            lambda: ctx.best_run(PROJECT, "accuracy", stage_name="evaluate"), 20, before=cold
        )
        results["select_ms"] = timed(lambda: ctx.select_best_run(ids, "accuracy", stage_name="evaluate"), 5)
        results["page_ms"] = timed(lambda: ctx.list_runs(PROJECT, limit=50, offset=n // 2), 20)
        results["report_ms"] = timed(lambda: ctx.build_multi_run_report(ids), 3, before=cold)  # every run
        results["project_report_ms"] = timed(lambda: ctx.project_report(PROJECT), 3, before=cold)
        onboarding = lambda: ctx.onboarding_summary(PROJECT)  # noqa: E731
        trend = lambda: ctx.get_metric_trend("accuracy", project_name=PROJECT, stage_name="evaluate")  # noqa: E731
        results["onboarding_ms"] = timed(onboarding, 5, before=cold)
        results["onboarding_warm_ms"] = timed(onboarding, 20)
        results["trend_ms"] = timed(trend, 5, before=cold)
        results["trend_warm_ms"] = timed(trend, 20)
        # what a reader of every point pays on top: the columns built into 100,000 TrendPoint tuples
        results["trend_points_ms"] = timed(lambda: tuple(trend().points), 5, before=cold)
        # "what's new": the last day of a busy project, and the second half of its whole history
        last = ctx.list_runs(PROJECT, limit=1, offset=n - 1)[0].started_at
        middle = ctx.list_runs(PROJECT, limit=1, offset=n // 2)[0].started_at
        results["news_day_ms"] = timed(
            lambda: ctx.news.changes(PROJECT, last - timedelta(days=1)), 5, before=cold
        )
        results["news_half_ms"] = timed(lambda: ctx.news.changes(PROJECT, middle), 5, before=cold)
    results["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put(results)


def cli_onboard_ms(workspace: str, database_url: str | None) -> float | None:
    import importlib.util
    import shutil
    import subprocess

    exe = shutil.which("contexta", path=str(Path(sys.executable).parent))
    if exe is None or importlib.util.find_spec("contexta_cli") is None:
        return None

    def run() -> None:
        env = dict(os.environ, CONTEXTA_DATABASE_URL=database_url) if database_url else None
        subprocess.run(
            [exe, "--workspace", workspace, "onboard", PROJECT], check=True, capture_output=True, env=env
        )

    return timed(run, 3)


@contextmanager
def fresh_database(postgres: str | None, n: int) -> Iterator[tuple[str, str | None]]:
    """(workspace folder, database URL or None for its SQLite file), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"contexta-bench-{n}-") as tmp:
        if postgres is None:
            yield str(Path(tmp) / "ws"), None
            return
        import psycopg

        schema = f"bench_{n}_{uuid.uuid4().hex[:8]}"
        admin = postgres.replace("+psycopg", "")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield str(Path(tmp) / "ws"), f"{postgres}?options=-csearch_path%3D{schema}"
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="bench PostgreSQL instead of SQLite, in a new schema per size "
        "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)",
    )
    parser.add_argument(
        "--curves",
        default="5000x20",
        help="RUNSxSTEPS: the training-curve ingest measured after the sizes ('' to skip)",
    )
    args = parser.parse_args()
    spawn = mp.get_context("spawn")
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        with fresh_database(args.postgres, n) as (workspace, database_url):
            row: dict[str, float] = {"runs": n}
            for target in (ingest, query):
                out = spawn.Queue()
                proc = spawn.Process(target=target, args=(workspace, database_url, n, out))
                start = time.perf_counter()
                proc.start()
                row.update(out.get(timeout=1800))
                proc.join()
                if target is ingest:
                    row["setup_s"] = time.perf_counter() - start
            cli = cli_onboard_ms(workspace, database_url)
            if cli is not None:
                row["cli_onboard_ms"] = cli
        rows.append(row)
        print(f"  done: {n} runs", file=sys.stderr, flush=True)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}")
    print_table(rows)
    if args.curves:
        n, steps = (int(part) for part in args.curves.split("x"))
        with fresh_database(args.postgres, n) as (workspace, database_url):
            out = spawn.Queue()
            proc = spawn.Process(target=ingest, args=(workspace, database_url, n, out, steps))
            proc.start()
            curves = {"runs": n, "steps": steps, **out.get(timeout=1800)}
            proc.join()
        print(f"\ntraining curves: {n:,} runs × 3 metrics × {steps} steps")
        print_table([curves], INGEST_COLUMNS)


COLUMNS = [
    ("runs", "runs", "{:,.0f}"),
    ("records", "metric records", "{:,.0f}"),
    ("append_rate", "ingest (records/s)", "{:,.0f}"),
    ("append_client_us", "ingest client CPU µs/record", "{:.1f}"),
    ("append_server_us", "ingest server CPU µs/record", "{:.1f}"),
    ("load", "load avg (ingest)", "{:.1f}"),
    ("build_rate", "build models (records/s)", "{:,.0f}"),
    ("open_ms", "open ms", "{:.1f}"),
    ("best_ms", "best_run ms", "{:.2f}"),
    ("select_ms", "select_best_run (all ids) ms", "{:.1f}"),
    ("page_ms", "list_runs page 50 ms", "{:.2f}"),
    ("report_ms", "report (all run ids) ms", "{:.0f}"),
    ("project_report_ms", "project report ms", "{:.0f}"),
    ("onboarding_ms", "onboarding_summary ms", "{:.1f}"),
    ("onboarding_warm_ms", "onboarding warm ms", "{:.2f}"),
    ("trend_ms", "trend ms", "{:.1f}"),
    ("trend_warm_ms", "trend warm ms", "{:.2f}"),
    ("trend_points_ms", "trend + every point ms", "{:.1f}"),
    ("news_day_ms", "news (last day) ms", "{:.1f}"),
    ("news_half_ms", "news (half the history) ms", "{:.1f}"),
    ("cli_onboard_ms", "CLI onboard ms", "{:.0f}"),
    ("rss_mb", "query RSS MB", "{:.0f}"),
]


INGEST_KEYS = {"runs", "records", "append_rate", "append_client_us", "append_server_us", "load", "build_rate"}
INGEST_COLUMNS = [column for column in COLUMNS if column[0] in INGEST_KEYS]


def print_table(rows: list[dict[str, float]], columns: list[tuple[str, str, str]] = COLUMNS) -> None:
    present = [c for c in columns if any(c[0] in r for r in rows)]
    print("| " + " | ".join(c[1] for c in present) + " |")
    print("|" + "|".join("---:" for _ in present) + "|")
    for row in rows:
        cells = [c[2].format(row[c[0]]) if c[0] in row else "—" for c in present]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
