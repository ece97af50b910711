"""The README's first command: `manage.py demo` serves the app and leaves no database behind."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.conf import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_processes_for(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline", "status"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data_dir) in cmdline and process.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(process)
    return found


def wait_for(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def demo_data_dir(tmp_path_factory) -> Path:
    """One data folder for both runs: the first run creates and fills the database (as on a
    fresh clone), the second starts the existing one again (as every later day)."""
    return tmp_path_factory.mktemp("demo") / "pg"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_demo_serves_dutch_login_and_stops_its_database_on_a_signal(
    tmp_path, demo_data_dir, stop_signal
):
    data_dir = demo_data_dir
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["ACTIVERING_DATA_DIR"] = str(data_dir)
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "demo", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # Ctrl-C in a terminal: the process must not inherit an ignored SIGINT from the test run.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        html = wait_for(f"http://127.0.0.1:{port}/inloggen/", seconds=170)
        assert '<html lang="nl">' in html
        assert "<title>Inloggen · Activering Oost</title>" in html
        assert postgres_processes_for(data_dir), "the demo should run its own embedded database"
        output = (tmp_path / "demo.log").read_text()
        assert "klantmanager1 … klantmanager25" in output
        assert "password: activering-demo" in output
    finally:
        os.killpg(demo.pid, stop_signal)
        demo.wait(timeout=60)
        log.close()
    deadline = time.monotonic() + 10
    while postgres_processes_for(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert postgres_processes_for(data_dir) == []
    assert "Traceback" not in (tmp_path / "demo.log").read_text()
