"""Run in a child process with the environment a deployment would have (DATABASE_URL,
REDIS_URL, CELERY_BROKER_URL pointing wherever the test says): requests each path given on the
command line through the whole middleware stack and prints one JSON line per request."""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vmo.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def main(paths: list[str]) -> None:
    client = Client(raise_request_exception=False)
    client.get("/healthz")  # the first request pays for imports: not what is measured
    for path in paths:
        started = time.monotonic()
        response = client.get(path)
        took = time.monotonic() - started
        body = response.content.decode(errors="replace")
        is_json = response.get("Content-Type", "").startswith("application/json")
        data = json.loads(body) if is_json else None
        print(
            json.dumps(
                {
                    "path": path,
                    "status": response.status_code,
                    "seconds": round(took, 3),
                    "json": data,
                    "retry_after": response.get("Retry-After"),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
