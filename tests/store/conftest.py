"""Store fixtures: a SQLite file per test, and a real PostgreSQL server per test session.

The PostgreSQL server is a throwaway cluster: `initdb` into a temp folder (as the `postgres` user
when the tests run as root, since initdb refuses root), started on a free 127.0.0.1 port, one
fresh database per test, stopped and deleted at the end of the session. Its binaries come from
Debian's `postgresql` package (`bash .ci/postgres.sh` installs it). Without them the PostgreSQL
tests are skipped, except under CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # store_helpers, for the tests and their subprocesses

from storydiff.store import Store, open_store  # noqa: E402

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _pg_bindir() -> Path | None:
    override = os.environ.get("STORYDIFF_PG_BINDIR")  # only this folder, when set
    if override:
        return Path(override) if (Path(override) / "initdb").exists() else None
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    as_postgres: bool
    _counter: itertools.count[int]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.root)

    def start(self) -> None:
        init = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "storydiff",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        if init.returncode:
            raise RuntimeError(f"initdb failed: {init.stderr or init.stdout}")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        start = self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        if start.returncode:
            log = (
                (self.root / "server.log").read_text(errors="replace")
                if (self.root / "server.log").exists()
                else ""
            )
            raise RuntimeError(f"pg_ctl start failed: {start.stderr or start.stdout}\n{log[-2000:]}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://storydiff@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on the server; its SQLAlchemy URL."""
        import psycopg

        name = f"storydiff_test_{next(self._counter)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=storydiff dbname=postgres", autocommit=True
        ) as c:
            c.execute(f"CREATE DATABASE {name}")  # name is ours, not user input
        return self.url(name)


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason} (run: bash .ci/postgres.sh)", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason} (install it with: bash .ci/postgres.sh)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable("no initdb/pg_ctl found (Debian package 'postgresql')")
        raise AssertionError("unreachable")
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        _unavailable("the psycopg driver is not installed (pip install 'storydiff[postgres]')")
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="storydiff-pg-"))
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(bindir, root, _free_port(), as_postgres, itertools.count(1))
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"could not start a throwaway server: {e}")
    try:
        yield server
    finally:  # also after Ctrl-C
        server.stop()


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, or a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as s:
        yield s


@pytest.fixture
def wait_for() -> Callable[[Callable[[], bool], float], bool]:
    def wait(condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return False

    return wait
