"""`manage.py bench --scale oost|amsterdam --seconds N`: the main pages under load.

Uses a database of its own (`bench_<scale>` on the same server), generates the data when absent,
serves the app with gunicorn (DEBUG off, several workers) on a free loopback port, drives a fixed
mix with locust (headless) and reports each page's p50/p95/p99 next to `/healthz`, the floor.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

BENCH_DIR = Path(__file__).resolve().parents[2]
RESULTS_DIR = BENCH_DIR / "results"
#: The pages of the mix, by the names the locustfile gives them, in report order.
PAGES = ["healthz", "suggestions", "booking", "agenda", "coverage", "client search"]
#: `--access-log`: method, path, status and the time in the server in ms.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(M)s"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cpu_reference_ms() -> float:
    """How fast this machine runs plain Python right now: the best of five runs of a fixed
    loop. Shared machines vary from hour to hour; this figure in each result tells runs on a
    slow moment from real regressions."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(number * number for number in range(1_000_000))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise CommandError(f"the app did not answer at {url}") from None
            time.sleep(0.25)


class Command(BaseCommand):
    help = "Benchmark the main pages at a data scale (own database, gunicorn, locust)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["oost", "amsterdam", "tiny"], default="oost")
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--users", type=int, default=4, help="Concurrent simulated users.")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
        parser.add_argument(
            "--results-dir",
            type=Path,
            default=RESULTS_DIR,
            help="Where the JSON result goes (default bench/results).",
        )
        parser.add_argument(
            "--access-log",
            default="",
            help="Also write gunicorn's access log here, with each request's time in the server "
            "(ms): tells server time from time spent in the load tool and the network.",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=15,
            help="Seconds of the same mix before measuring (not counted): the workers fill "
            "their caches, as a server that has been up for a while has.",
        )

    def handle(
        self,
        *args: Any,
        scale: str,
        seconds: int,
        users: int,
        workers: int,
        warmup: int,
        access_log: str,
        results_dir: Path,
        **o: Any,
    ) -> None:
        database = f"bench_{scale}"
        # This process holds the (embedded) server for the whole run; the children share it.
        connection.ensure_connection()
        self._create_database(database)
        env = {
            **os.environ,
            "ACTIVERING_DATABASE_NAME": database,
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [*manage, "generate_bench_data", "--scale", scale], env=env, check=True
        )
        self.stdout.write(f"Data ready in {time.monotonic() - started:.0f} s")

        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "activering.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                "--worker-class", "sync", "--log-level", "warning",
                *(["--access-logfile", access_log, "--access-logformat", ACCESS_FORMAT]
                  if access_log else []),
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )  # fmt: skip
        try:
            _wait_for(f"{host}/healthz", 60)
            cpu_reference = _cpu_reference_ms()
            locust = [
                sys.executable, "-m", "locust", "-f", str(BENCH_DIR / "locustfile.py"),
                "--headless", "--users", str(users), "--spawn-rate", str(users),
                "--stop-timeout", "10", "--host", host, "--only-summary",
                "--loglevel", "WARNING",
            ]  # fmt: skip
            if warmup:
                subprocess.run(  # noqa: S603
                    [*locust, "--run-time", f"{warmup}s"],
                    env={**env, "BENCH_SCALE": scale},
                    check=False,
                    capture_output=True,
                    timeout=warmup + 120,
                )
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            prefix = results_dir / f".{scale}-{stamp}"
            subprocess.run(  # noqa: S603
                [*locust, "--run-time", f"{seconds}s", "--csv", str(prefix)],
                env={**env, "BENCH_SCALE": scale},
                check=False,
                timeout=seconds + 120,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        report = self._report(
            prefix,
            scale=scale,
            users=users,
            workers=workers,
            seconds=seconds,
            warmup_seconds=warmup,
            cpu_reference_ms=cpu_reference,
        )
        failures = Path(f"{prefix}_failures.csv")
        if failures.exists():
            with failures.open() as rows:
                report["failures"] = list(csv.DictReader(rows))
        overlaps = subprocess.run(  # noqa: S603
            [*manage, "check_double_bookings"], env=env, capture_output=True, text=True
        )
        report["double_bookings"] = overlaps.stdout.strip()
        report["double_bookings_ok"] = overlaps.returncode == 0
        out = results_dir / f"{scale}-{stamp}.json"
        out.write_text(json.dumps(report, indent=2) + "\n")
        for suffix in ("_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"):
            Path(f"{prefix}{suffix}").unlink(missing_ok=True)
        self.stdout.write(self._table(report))
        self.stdout.write(f"Double bookings: {report['double_bookings']}")
        self.stdout.write(f"Written to {out}")
        if report["errors"] or not report["double_bookings_ok"]:
            raise CommandError("the mix had errors or created a double booking")

    def _create_database(self, name: str) -> None:
        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')

    def _report(self, prefix: Path, **run: Any) -> dict[str, Any]:
        with Path(f"{prefix}_stats.csv").open() as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        floor = rows.get("healthz")
        pages = {}
        for name in [*PAGES, "Aggregated"]:
            row = rows.get(name)
            if row is None:
                continue
            figures = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "requests_per_s": round(float(row["Requests/s"]), 1),
            }
            if floor and name != "Aggregated":
                figures["p50_vs_healthz"] = round(
                    figures["p50_ms"] / max(float(floor["50%"]), 1), 1
                )
                figures["p95_vs_healthz"] = round(
                    figures["p95_ms"] / max(float(floor["95%"]), 1), 1
                )
            pages[name] = figures
        return {
            "when": timezone.localtime().isoformat(timespec="seconds"),
            "machine": f"{os.cpu_count()} cores",
            **run,
            "pages": pages,
            "errors": sum(page["errors"] for name, page in pages.items() if name != "Aggregated"),
        }

    def _table(self, report: dict[str, Any]) -> str:
        header = (
            f"{'page':<15}{'requests':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'req/s':>8}"
            f"{'errors':>7}{'p50/floor':>10}{'p95/floor':>10}"
        )
        lines = [
            f"Scale {report['scale']}, {report['users']} users, {report['workers']} workers, "
            f"{report['seconds']} s after {report['warmup_seconds']} s warm-up; "
            f"CPU reference {report['cpu_reference_ms']} ms",
            header,
        ]
        for name, page in report["pages"].items():
            lines.append(
                f"{name:<15}{page['requests']:>9}{page['p50_ms']:>8.0f}{page['p95_ms']:>8.0f}"
                f"{page['p99_ms']:>8.0f}{page['requests_per_s']:>8}{page['errors']:>7}"
                f"{page.get('p50_vs_healthz', ''):>10}{page.get('p95_vs_healthz', ''):>10}"
            )
        return "\n".join(lines)
