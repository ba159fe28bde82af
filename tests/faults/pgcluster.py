"""A throwaway PostgreSQL cluster of the test's own: `initdb` in a temporary folder, served on a
free loopback port, stopped, killed and frozen at will without touching the shared server.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (the
Debian package's), in a folder that user owns. Without PostgreSQL's programs the test skips
(CI installs them: the shared server is the same package)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.faults.servers import closed_port


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class OwnPostgres:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = closed_port()
        self.folder = Path(tempfile.mkdtemp(prefix="vmo-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603 - our own arguments

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                  "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        # synchronous_commit stays on: the test's immediate shutdown is a crash, and with it off
        # a commit returns before its WAL is written, so the crash loses it (the sign-in's
        # session row went, and the citizen was signed out after the restart: the test failed
        # about one run in two). fsync may stay off: the machine itself does not crash.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
            " -c full_page_writes=off -c shared_buffers=32MB"
        )
        (self.folder / "options").write_text(options)
        self.start()

    def start(self) -> None:
        options = (self.folder / "options").read_text()
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        """Immediate shutdown: open connections are cut, as when the server crashes."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def _pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.split("/")[2]))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP the server and its backends: connections are accepted and never answered."""
        self._frozen = self._pids()
        for pid in self._frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in getattr(self, "_frozen", []):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self._frozen = []

    def destroy(self) -> None:
        self.thaw()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
