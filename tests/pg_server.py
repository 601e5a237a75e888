"""A PostgreSQL server for the store tests: the one ``$NEWSCOLLATE_TEST_POSTGRES`` names, or a
throwaway one started from the PostgreSQL binaries on this machine, and a fresh database per test.

A throwaway server lives in a temporary folder, listens on a free loopback port only (and on a
Unix socket in that folder), trusts local connections and runs without fsync: it holds nothing
worth keeping and is deleted when the session ends.  PostgreSQL refuses to run as root, so under
root it runs as the ``postgres`` user (which Debian's package creates).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ENV_URL = "NEWSCOLLATE_TEST_POSTGRES"
"""A server URL (``postgresql://user@host:port/db``) whose user may create databases."""
ENV_REQUIRE = "NEWSCOLLATE_REQUIRE_POSTGRES"
"""Set (to anything but empty or 0) to fail rather than skip when no server can be had: CI sets it."""
START_TIMEOUT_S = 60


class Unavailable(Exception):
    """No PostgreSQL server can be had; the message says why (the reason tests are skipped)."""


def required() -> bool:
    return os.environ.get(ENV_REQUIRE, "") not in ("", "0")


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


class ThrowawayServer:
    """A server in a temporary folder; :meth:`stop` ends it and deletes the folder."""

    def __init__(self) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise Unavailable(f"no PostgreSQL server: set {ENV_URL} or install initdb and pg_ctl (apt-get install postgresql)")
        self._bin = bin_dir
        self._run_as: list[str] = []
        if os.geteuid() == 0:  # postgres refuses to run as root
            if not shutil.which("runuser"):
                raise Unavailable("running as root without runuser: cannot start PostgreSQL as another user")
            try:
                import pwd

                user = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("running as root and there is no postgres user to run PostgreSQL as") from None
            self._run_as = ["runuser", "-u", "postgres", "--"]
        # /tmp rather than $TMPDIR: the postgres user must reach the folder, and a Unix socket's
        # path is limited to about 100 characters
        self.folder = Path(tempfile.mkdtemp(prefix="newscollate-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        if self._run_as:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self.data = self.folder / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        # C locale: text sorts by code point, as in SQLite; --no-sync: nothing here must survive a crash
        self._pg("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
        options = (
            f"-k {self.folder} -c listen_addresses=127.0.0.1 -p {self.port}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg("pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_S), "-D", self.data, "-l", self.folder / "log", "-o", options)

    def _pg(self, tool: str, *args) -> None:
        command = [*self._run_as, str(self._bin / tool), *map(str, args)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT_S + 30)
        if done.returncode != 0:
            log = self.folder / "log"
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise Unavailable(f"{tool} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-1500:]} {tail}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._pg("pg_ctl", "stop", "-D", self.data, "-m", "immediate")
            except Unavailable:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check(url: str) -> None:
    """:class:`Unavailable` unless psycopg is installed and the server at ``url`` answers."""
    try:
        import psycopg
    except ImportError:
        raise Unavailable("psycopg is not installed (pip install 'newscollate[postgres]')") from None
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        where = ENV_URL if os.environ.get(ENV_URL) else "the test server"
        raise Unavailable(f"cannot connect to {where}: {' '.join(str(exc).split())}") from None


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for the block (dropped after it); yields its URL."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = f"newscollate_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    params = conninfo_to_dict(server_url)
    params["dbname"] = name
    url = _as_url(params)
    try:
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _as_url(params: dict) -> str:
    """A ``postgresql://`` URL of libpq connection parameters (what ``Store.open`` takes)."""
    from urllib.parse import quote, urlencode

    user = quote(params.pop("user", ""), safe="")
    password = params.pop("password", None)
    host = params.pop("host", "")
    port = params.pop("port", "")
    dbname = quote(params.pop("dbname", ""), safe="")
    auth = f"{user}:{quote(password, safe='')}@" if password is not None else (f"{user}@" if user else "")
    netloc = f"[{host}]" if ":" in host else host
    if host.startswith("/"):  # a socket folder goes in the query
        params["host"], netloc = host, ""
    query = f"?{urlencode(params)}" if params else ""
    return f"postgresql://{auth}{netloc}{':' + port if port else ''}/{dbname}{query}"
