"""`make bench-web`: the web tier under load, as ratios to a hello-world view of the same server.

Starts gunicorn (2 sync workers, vmo.settings.bench: production settings plus /bench/hello/)
on the PostgreSQL in DATABASE_URL, signs in one generated citizen (the one with most
violations that holds a licence), and drives each page with wrk at 8 connections. Every round
runs, for each target, a hello of the same kind (anonymous, or with the citizen's session) right
before it, so each ratio compares two runs a few seconds apart on this shared machine. Prints
per page the median over the rounds of req/s, p50/p95/p99, the queries of one request, and the
ratios; writes the table to var/bench-web.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_perf make bench-web
    BENCH_ROUNDS=3 BENCH_SECONDS=8 BENCH_CONNECTIONS=8 BENCH_WORKERS=2 (defaults)
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

HELLO = "/bench/hello/"
# (path, signed in?)
TARGETS = [
    ("/me/", True),
    ("/api/v1/me/status", True),
    ("/violations/", True),
    ("/applications/", True),
    ("/me/messages/", True),
    ("/", False),
    ("/guide/", False),
    ("/announcements/", False),
    ("/publications/", False),
]

LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Run:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    failures: int


def _env() -> dict[str, str]:
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE="vmo.settings.bench", PYTHONPATH=str(ROOT / "src")
    )
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench-web measures PostgreSQL: set DATABASE_URL=postgres://…")
    return env


def _manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), str(ROOT / "manage.py"), *args], env=_env(), check=True)


def _citizen_cookie() -> str:
    """A session for the generated citizen with the most violations: one with an account of
    the generator's (so with messages and applications too), else one given an account here."""
    os.environ.update(_env())
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from vmo.accounts.models import User
    from vmo.registry.models import Person
    from vmo.violations.models import Violation

    busiest = (
        Violation.objects.filter(vehicle__owner_person__isnull=False)
        .values("vehicle__owner_person")
        .annotate(n=Count("pk"))
        .order_by("-n")[:300]
    )
    ids = [row["vehicle__owner_person"] for row in busiest]
    user = (
        User.objects.filter(person_id__in=ids, kind="citizen", person__licence__isnull=False)
        .annotate(n=Count("person__vehicles__violations"))
        .order_by("-n", "pk")
        .first()
    ) or User.objects.filter(username="bench-citizen").first()
    if user is None:
        person = (
            Person.objects.filter(pk__in=ids, licence__isnull=False, account__isnull=True)
            .annotate(n=Count("vehicles__violations"))
            .order_by("-n", "pk")
            .first()
        )
        if person is None:
            sys.exit("no generated citizen: run `manage.py generate --people N` first")
        user = User(username="bench-citizen", kind="citizen", person=person)
        user.set_unusable_password()
        user.save()
    print(f"measured citizen: {user.username}", file=sys.stderr)
    client = Client()
    client.force_login(user, backend="vmo.accounts.backends.IdentityBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _headers(cookie: str | None) -> dict[str, str]:
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans", "Host": HOST}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    return headers


def _probe(path: str, cookie: str | None) -> int:
    """One request: it must answer 200 (not a redirect to the login page); its query count."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.request("GET", path, headers=_headers(cookie))
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}, not 200: the bench would measure an error")
    return int(response.getheader("X-Bench-Queries", "-1"))


def _wrk(path: str, cookie: str | None, script: str) -> Run:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", script]
    for name, value in _headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://{HOST}:{PORT}{path}"], capture_output=True, text=True, check=True
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK "))
    data = json.loads(line[4:])
    return Run(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        failures=data["errors"] + data["bad_status"],
    )


def _wait_until_up() -> None:
    for _ in range(120):
        try:
            _probe(HELLO, None)
            return
        except (ConnectionError, OSError):
            time.sleep(0.5)
    sys.exit("gunicorn did not come up")


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    _manage("migrate", "--noinput", "-v0")
    _manage("collectstatic", "--noinput", "-v0")
    cookie = _citizen_cookie()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "vmo.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"{HOST}:{PORT}",
            "--log-level",
            "warning",
        ],
        env=_env(),
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        _wait_until_up()
        rows = _measure(cookie)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    table = _table(rows)
    print(table)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-web.md").write_text(table + "\n")


def _measure(cookie: str) -> dict[str, tuple[int, list[Run], list[float], list[float]]]:
    """page → (queries, runs, ratios to hello with a session, ratios to anonymous hello)."""
    names = [f"{HELLO} (anonymous)", f"{HELLO} (session)", *[p for p, _ in TARGETS]]
    _probe(HELLO, cookie)  # the first request of a new session stamps it (one save)
    queries = {names[0]: _probe(HELLO, None), names[1]: _probe(HELLO, cookie)}
    for path, signed_in in TARGETS:
        _probe(path, cookie if signed_in else None)  # warm the per-process caches
        queries[path] = _probe(path, cookie if signed_in else None)
    runs: dict[str, list[Run]] = {n: [] for n in names}
    to_session: dict[str, list[float]] = {n: [] for n in names}
    to_anon: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    for round_no in range(1, ROUNDS + 1):
        print(f"round {round_no}/{ROUNDS}", file=sys.stderr, flush=True)
        anon, session = _wrk(HELLO, None, script.name), _wrk(HELLO, cookie, script.name)
        runs[names[0]].append(anon)
        runs[names[1]].append(session)
        to_session[names[1]].append(1.0)
        to_anon[names[1]].append(session.rps / anon.rps)
        to_anon[names[0]].append(1.0)
        for path, signed_in in TARGETS:
            hello = _wrk(HELLO, cookie if signed_in else None, script.name)
            run = _wrk(path, cookie if signed_in else None, script.name)
            runs[path].append(run)
            (to_session if signed_in else to_anon)[path].append(run.rps / hello.rps)
    os.unlink(script.name)
    return {n: (queries[n], runs[n], to_session[n], to_anon[n]) for n in names}


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f}" if values else "–"


def _table(rows: dict[str, tuple[int, list[Run], list[float], list[float]]]) -> str:
    lines = [
        f"{ROUNDS} rounds × {SECONDS} s, wrk at {CONNECTIONS} connections, gunicorn {WORKERS} sync "
        "workers; medians over the rounds; each ratio against a hello run just before it",
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | failed | queries | ratio to hello with a session | ratio to anonymous hello |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, (queries, runs, to_session, to_anon) in rows.items():
        lines.append(
            f"| `{name}` | {statistics.median(r.rps for r in runs):.1f} "
            f"| {statistics.median(r.p50_ms for r in runs):.1f} "
            f"| {statistics.median(r.p95_ms for r in runs):.1f} "
            f"| {statistics.median(r.p99_ms for r in runs):.1f} "
            f"| {sum(r.failures for r in runs)} | {queries} | {_median(to_session)} | {_median(to_anon)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
