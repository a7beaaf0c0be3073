"""A real PostgreSQL server for the tests: a throwaway cluster, started once per run.

The shared hub is plain PostgreSQL, so its tests run against one, never a mock:
``initdb`` makes a cluster in a temporary folder, ``pg_ctl`` starts it on a free
loopback port (and a socket in that folder), and it is stopped and removed when
the run ends.  PostgreSQL refuses to run as root; the CI machine runs as root, so
the cluster then belongs to the ``postgres`` user and its commands run as that
user (``runuser``).  ``fsync=off``: the cluster lives for one run and is never
recovered, so waiting for the disk would only slow the tests; a test that crashes
the server on purpose asks for a ``durable`` one, which keeps what it acknowledged.

Each test gets its own database (:meth:`PostgresServer.new_database`), made from
``template0`` in some tens of milliseconds, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


def bin_dir() -> Path:
    """Where this machine's server programs are (Debian puts them outside PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout
        if (Path(out.strip()) / "pg_ctl").exists():
            return Path(out.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if versions:
        return versions[-1].parent
    raise RuntimeError("PostgreSQL's server programs are not installed (.ci/run installs them)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One cluster: ``start()``, then ``new_database()`` per test, then ``stop()``."""

    def __init__(self, *, durable: bool = False) -> None:
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="coopterm-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.bin = bin_dir()
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)

    def start(self) -> "PostgresServer":
        if self._as_root:
            self.folder.chmod(0o755)
            shutil.chown(self.folder, SUPERUSER)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "-N")
        self.start_again()
        return self

    def start_again(self) -> None:
        """Start the cluster (again, after a test stopped it: same folder, same port)."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "start")

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` as ``user``."""
        secret = f":{password}" if password is not None else ""
        return f"postgresql+psycopg://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def libpq_url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """The same, as psql and libpq write it."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, *sql: str, user: str = SUPERUSER,
             check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run each of ``sql`` with the plain ``psql`` client, as ``user``: no coopterm in between."""
        commands = [arg for statement in sql for arg in ("-c", statement)]
        return subprocess.run(
            ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", self.libpq_url(database, user),
             *commands],
            capture_output=True, text=True, check=check, timeout=60,
        )

    def new_database(self) -> str:
        """A fresh empty database; its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self.psql("postgres", f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
