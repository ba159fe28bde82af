"""Benchmarks of the web tier (`make bench-web`): production settings, plus a hello-world view
and a query counter that exist only here (vmo.settings.bench_urls).

Production refuses to start without its secrets; the bench falls back to the development keys
(the generated city was written with them) unless the environment gives real ones. Nothing
else differs from production: DEBUG off, manifest static files, HTTPS expected from the proxy
(the load tool sends X-Forwarded-Proto: https, as nginx does).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("VMO_PII_HASH_KEY", "dev-only-lookup-hash-key")
os.environ.setdefault("VMO_PII_KEYS", "dev1:ZGV2LW9ubHktcGlpLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")

from .production import *  # noqa: E402, F403
from .production import MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "vmo.settings.bench_urls"
# First, so it counts every query of the request (sessions and authentication included).
MIDDLEWARE = ["vmo.settings.bench_urls.QueryCountMiddleware", *MIDDLEWARE]

# wrk sends hundreds of requests a second from one citizen; at the API's 120 a minute all but
# the first would measure the refusal. The throttle still counts every call (its history of
# calls in the last minute, which at this rate is thousands long, is read and written on each:
# a cost a real citizen's app never reaches, so the API's figure is if anything low).
VMO_API_RATES = {"user": "1000000/m"}
