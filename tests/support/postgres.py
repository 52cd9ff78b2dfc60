"""A throwaway PostgreSQL cluster on a loopback port, for tests that need the real server.

`LIAISON_TEST_POSTGRES_URL` points the tests at a server of your own instead. Otherwise the
cluster is made with the machine's initdb (Debian's postgresql packages) in a temp folder, run as
the `postgres` system user when the tests run as root (initdb refuses root), and removed after.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL_ENV = "LIAISON_TEST_POSTGRES_URL"
# A loopback-only throwaway cluster: one superuser, no passwords.
TRUSTED = ("--username", "liaison", "--auth", "trust")


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        output = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(output.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable("no initdb found: install the postgresql package")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL of an empty database on a fresh cluster."""
    configured = os.environ.get(URL_ENV)
    if configured:
        yield configured
        return
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="liaison-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    log = root / "server.log"
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            _as_server_user(
                [str(bindir / "initdb"), "--pgdata", str(data), "--encoding", "UTF8", *TRUSTED]
            ),
            **run,
        )
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "start",
                    "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
                ]
            ),
            **run,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"cannot start PostgreSQL: {exc.stderr or exc.stdout}") from exc
    try:
        yield f"postgresql+psycopg://liaison@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
