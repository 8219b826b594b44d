"""Real servers for the plugin tests, from Debian's packages
(tests/services/install.sh), each started once per test run on a free
loopback port in a temporary directory and stopped at the end.

As root (CI), PostgreSQL and MariaDB run as their packages' system users,
since neither runs as root; the data directories are theirs.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support.procs import free_port


class ServiceError(Exception):
    """A server could not be started; the message says which and why."""


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    host: str = "127.0.0.1"

    @property
    def addr(self) -> str:
        return f"{self.host}:{self.port}"


def _as(user: str) -> list[str]:
    return ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []


def _own(path: Path, user: str) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user, user)


def _wait_port(port: int, proc: subprocess.Popen[bytes], name: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServiceError(f"{name} exited with status {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServiceError(f"{name} did not listen on 127.0.0.1:{port} within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def _need(binary: str) -> str:
    found = shutil.which(binary) or next(iter(sorted(glob.glob(binary))), None)
    if not found:
        raise ServiceError(f"{binary} is not installed: run tests/services/install.sh")
    return found


@contextmanager
def _running(argv: list[str], name: str, port: int, workdir: Path) -> Iterator[None]:
    log = workdir / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        _wait_port(port, proc, name, log)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def redis(workdir: Path) -> Iterator[Server]:
    port = free_port()
    argv = [_need("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(workdir)]  # fmt: skip
    with _running(argv, "redis", port, workdir):
        yield Server("redis", port)


@contextmanager
def memcached(workdir: Path) -> Iterator[Server]:
    port = free_port()
    argv = [_need("memcached"), "-l", "127.0.0.1", "-p", str(port), "-U", "0"]
    if os.geteuid() == 0:
        argv += ["-u", "memcache"]
    with _running(argv, "memcached", port, workdir):
        yield Server("memcached", port)


@contextmanager
def postgres(workdir: Path) -> Iterator[Server]:
    """PostgreSQL with user postgres, no password (trust), database postgres."""
    bindir = Path(_need("/usr/lib/postgresql/*/bin/initdb")).parent
    data = workdir / "pgdata"
    data.mkdir()
    _own(workdir, "postgres")
    _own(data, "postgres")
    init = subprocess.run([*_as("postgres"), str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
                          capture_output=True, text=True)  # fmt: skip
    if init.returncode != 0:
        raise ServiceError(f"initdb failed:\n{init.stdout}{init.stderr}")
    port = free_port()
    argv = [*_as("postgres"), str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(workdir),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]  # fmt: skip
    with _running(argv, "postgres", port, workdir):
        yield Server("postgres", port)


@contextmanager
def mariadb(workdir: Path) -> Iterator[Server]:
    """MariaDB with user root, no password, and a database named `test`."""
    data = workdir / "mysqldata"
    data.mkdir()
    _own(workdir, "mysql")
    _own(data, "mysql")
    user = ["--user=mysql"] if os.geteuid() == 0 else []
    init = subprocess.run([_need("mariadb-install-db"), f"--datadir={data}", *user, "--auth-root-authentication-method=normal",
                           "--skip-test-db"], capture_output=True, text=True)  # fmt: skip
    if init.returncode != 0:
        raise ServiceError(f"mariadb-install-db failed:\n{init.stdout}{init.stderr}")
    port = free_port()
    argv = [_need("mariadbd"), "--no-defaults", f"--datadir={data}", f"--port={port}", "--bind-address=127.0.0.1",
            f"--socket={workdir / 'mysqld.sock'}", f"--pid-file={workdir / 'mysqld.pid'}", *user,
            "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0"]  # fmt: skip
    with _running(argv, "mariadb", port, workdir):
        client = [_need("mariadb"), "--protocol=tcp", "-h", "127.0.0.1", "-P", str(port), "-u", "root"]
        made = subprocess.run([*client, "-e", "CREATE DATABASE IF NOT EXISTS test"], capture_output=True, text=True)
        if made.returncode != 0:
            raise ServiceError(f"cannot create the test database:\n{made.stderr}")
        yield Server("mariadb", port)


def postgres_database(server: Server, name: str) -> str:
    """A fresh database `name` on the PostgreSQL `server` (dropped first if a
    previous test run left it): tests that share the server keep their own
    tables apart."""
    psql = str(Path(_need("/usr/lib/postgresql/*/bin/psql")))
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        proc = subprocess.run([psql, "-h", server.host, "-p", str(server.port), "-U", "postgres", "-c", sql],
                              capture_output=True, text=True)  # fmt: skip
        if proc.returncode != 0:
            raise ServiceError(f"{sql} failed:\n{proc.stderr}")
    return name


def postgres_url(server: Server, database: str = "postgres") -> str:
    """A URL DSN (pgx's, and any libpq-style driver's) for user postgres."""
    return f"postgres://postgres@{server.addr}/{database}?sslmode=disable"


def postgres_keywords(server: Server, database: str = "postgres") -> str:
    """A key=value DSN (lib/pq's, gorm's postgres driver's) for user postgres."""
    return f"host={server.host} port={server.port} user=postgres dbname={database} sslmode=disable"


def mariadb_dsn(server: Server, database: str = "test") -> str:
    """A go-sql-driver/mysql DSN for user root."""
    return f"root@tcp({server.addr})/{database}"
