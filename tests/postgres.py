"""A real PostgreSQL server for the tests: Debian's binaries (``make test`` installs the
``postgresql`` package when missing), ``initdb`` into a temporary directory and
``pg_ctl`` on a free 127.0.0.1 port, run as a non-root user, stopped afterwards."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from service.process import free_port

SUPERUSER = "stancemeter"
FALLBACK_USER = "stancemeter-pg"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    assert found, "install Debian's postgresql: apt-get install -y postgresql (make test does)"
    return Path(found[-1]).parent


def _system_user() -> str:
    """PostgreSQL refuses to run as root: the package's ``postgres`` user, or one made."""
    for name in ("postgres", FALLBACK_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", FALLBACK_USER], check=True)
    return FALLBACK_USER


class PostgresServer:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.user = _system_user() if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="stancemeter-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        if self.user:
            shutil.chown(self.root, self.user)

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def start(self) -> PostgresServer:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c max_connections=200"
        self._run(
            "pg_ctl",
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
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on this server; its SQLAlchemy URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
