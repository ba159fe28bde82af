"""A throwaway RabbitMQ node of the test's own: `rabbitmq-server` with its own node name, AMQP
and distribution ports, Mnesia and log folders and no plugins, on loopback, beside the shared
broker and never touching it. It boots in ~3-5 s here (the node of an earlier attempt took 35 s
under load; it is given 60). Without rabbitmq-server the test skips (CI installs it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from kombu import Connection

from tests.faults.servers import closed_port


class OwnRabbit:
    def __init__(self) -> None:
        self.port = closed_port()
        self.dist_port = closed_port()
        self.node = f"vmo{self.port}@localhost"
        self.folder = Path(tempfile.mkdtemp(prefix="vmo-rabbit-"))
        if os.geteuid() == 0:  # as root the server script runs the node as the rabbitmq user
            shutil.chown(self.folder, "rabbitmq", "rabbitmq")
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("rabbitmq-server") is not None

    def start(self, limit: float = 60) -> float:
        """Boot the node; returns how long it took."""
        (self.folder / "enabled_plugins").write_text("[].\n")
        config = self.folder / "rabbitmq.conf"
        # guest may connect over loopback only by default: that is where we are.
        config.write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")
        env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
        }
        started = time.monotonic()
        self.process = subprocess.Popen(  # noqa: S603 - a fixed program, our own arguments
            [shutil.which("rabbitmq-server") or "rabbitmq-server"],
            env=env,
            stdout=(self.folder / "out").open("wb"),
            stderr=subprocess.STDOUT,
            cwd=self.folder,  # where a crash dump lands
            start_new_session=True,  # its Erlang VM and helpers: one group to end
        )
        while time.monotonic() - started < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"own RabbitMQ exited: {self.output()[-2000:]}")
            try:
                with Connection(self.url, connect_timeout=1) as conn:
                    conn.ensure_connection(max_retries=0)
                return time.monotonic() - started
            except Exception:  # not listening yet, or the handshake refused while booting
                time.sleep(0.2)
        raise RuntimeError(f"own RabbitMQ did not start in {limit} s")

    def output(self) -> str:
        path = self.folder / "out"
        return path.read_text(errors="replace") if path.exists() else ""

    def destroy(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run(  # noqa: S603 - our own node only, by its name
                    [shutil.which("rabbitmqctl") or "rabbitmqctl", "-n", self.node, "stop"],
                    timeout=20,
                    capture_output=True,
                )
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # whatever did not stop
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
