"""The product served by gunicorn in a process of its own, for the tests that break what it
stands on (tests/faults) or run several of it side by side (tests/scaling)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.faults.http import get
from tests.faults.servers import closed_port

ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    """gunicorn on a free loopback port with the test settings, the given database and cache
    (an empty REDIS_URL: sessions in the database, a cache of the process's own)."""

    def __init__(
        self,
        database_url: str,
        log: Path,
        *,
        redis_url: str = "",
        workers: int = 2,
        request_deadline: float = 1.0,
    ) -> None:
        self.log = log
        self.port = closed_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "vmo.settings.test",
            "DATABASE_URL": database_url,
            "DB_REQUEST_TIMEOUT": str(request_deadline),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": "",
        }
        stream = log.open("wb")  # the app's log, printed when the test fails
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn
            [str(Path(sys.executable).parent / "gunicorn"), "vmo.wsgi:application",
             "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "--timeout", "30",
             "--graceful-timeout", "2", "--log-level", "warning"],
            env=env, cwd=ROOT, stderr=stream,
        )  # fmt: skip
        deadline = time.monotonic() + 90  # workers importing Django on a loaded machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-3000:]}")
            try:
                if get(self.base + "/healthz", timeout=3).status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
