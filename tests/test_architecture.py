"""Architecture rules (after GOV.UK Notify): every page and every API operation needs
authentication unless it is on the public allow-list, every Celery task is routed to a queue
that a documented worker consumes, and every scheduled task names a task that exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = {
    "portal:home",
    "catalog:index",
    "catalog:detail",
    "catalog:regulations",
    "catalog:downloads",
    "catalog:form_pdf",
    "accounts:signup",
    "accounts:signup_verify",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_verify",
    "accounts:officer_login",
    "accounts:logout",  # signing out a visitor who is not signed in does nothing
    "healthz",
    "readyz",
    "set_language",
    "payments:callback",  # the gateway calls it; the signature is its authentication
    "notices:mailgun_tracking",  # Mailgun calls it; its HMAC signature (anymail) authenticates
    "payments:sandbox_pay",  # stands for the gateway's own hosted page
    "accounts:identity_callback",  # the identity provider calls it; the signature authenticates
    "accounts:identity_sandbox",  # stands for the identity provider's own page
    "bulletins:announcement_list",
    "bulletins:announcement_archive",
    "bulletins:announcement_feed",
    "bulletins:publication_list",
    "bulletins:publication_archive",
    "bulletins:publication_feed",
    "appointments:exam_results",
    "plates:verify",
    "plates:results",
    # Anyone may check an e-licence: the verifier, the office's public keys, the status lists.
    "credentials:verify",
    "credentials:jwks",
    "credentials:status_list",
    # A checker enters the holder's check code (the code is the holder's consent), and wallets
    # and verifiers fetch the office's mDL root certificate and its revocation list.
    "checks:check",
    "mdl:iaca_pem",
    "mdl:iaca_crl",
    # The API's public operations: signing in and up, what the office publishes, draw checks.
    "api:token_create",
    "api:signup_begin",
    "api:signup_finish",
    "api:announcement_list",
    "api:announcement_detail",
    "api:publication_list",
    "api:publication_detail",
    "api:verify",
    "api:credential_verify",
    "api:openapi-json",
    "api:openapi-view",
    "api:not_found",  # the API's own 404 for every path no operation matches
}
# The admin has its own sign-in (staff only); static files are public by nature.
PUBLIC_PREFIXES = ("django-admin/", "static/")
NEEDS_SIGN_IN = {302, 401, 403, 404, 405}
METHODS = ("get", "post", "put", "patch", "delete")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else "",
                prefix + str(pattern.pattern),
            )


def _concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
    route = re.sub(r"<\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted({(name, route) for name, route in _walk(get_resolver().url_patterns)})
GUARDED = [
    (name, route)
    for name, route in ROUTES
    if name not in PUBLIC and not route.startswith(PUBLIC_PREFIXES)
]


def test_every_route_is_one_the_walk_can_request():
    # A regular-expression route would be skipped by _concrete without anyone noticing.
    opaque = [route for _, route in GUARDED if "(?P" in route]
    assert opaque == [], opaque


def test_allow_list_names_only_routes_that_exist():
    names = {name for name, _ in ROUTES}
    assert PUBLIC - names == set()


def test_api_operations_without_authentication_are_all_allow_listed():
    from vmo.api.api import api

    schema = api.get_openapi_schema()
    public_ops = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
        if not operation.get("security")
    }
    allowed = {name.removeprefix("api:") for name in PUBLIC if name.startswith("api:")}
    # ninja names an operation's URL after its function; the operation id ends with it.
    unlisted = {op for op in public_ops if not any(op.endswith(f"_{n}") for n in allowed)}
    assert unlisted == set(), f"API operations open to anyone, not allow-listed: {unlisted}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), GUARDED, ids=[r or n for n, r in GUARDED])
def test_every_route_needs_sign_in_unless_public(client, name, route):
    url = _concrete(route)
    for method in METHODS:
        response = getattr(client, method)(url)
        assert response.status_code in NEEDS_SIGN_IN, (
            f"{method.upper()} {name or route} answered {response.status_code} to an anonymous visitor"
        )
        if response.status_code == 302:
            assert "/accounts/" in response["Location"], response["Location"]


def test_every_scheduled_task_exists():
    from vmo.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, (
            f"beat schedules {entry['task']}, which no module defines"
        )


# Tasks that something in the product queues when it happens; every other task is periodic work
# that only runs if beat schedules it (a cycle rollover never scheduled is points never cleared).
EVENT_TASKS = {
    "notices.deliver",
    "notices.deliver_code",
    "education.regional_warning_send",
    "accounts.identity_callback_deliver",
    "payments.refund_submit",
    "payments.notify_deliver",
}


def test_every_periodic_task_is_scheduled():
    from vmo.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    tasks = {name for name in app.tasks if not name.startswith("celery.")}
    assert tasks - EVENT_TASKS - scheduled == set()
    assert tasks >= EVENT_TASKS


def _worker_queues(command: str) -> set[str]:
    if not command.startswith("celery ") and "/celery " not in command:
        return set()
    words = shlex.split(command.split("#", 1)[0])
    if "worker" not in words or "-Q" not in words:
        return set()
    return set(words[words.index("-Q") + 1].split(","))


def _documented_workers() -> list[set[str]]:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    return [q for line in text.splitlines() if (q := _worker_queues(line.strip()))]


def _make_worker() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = text.split("\nworker:", 1)[1].split("\n\n", 1)[0]
    return set().union(*(_worker_queues(line.strip()) for line in recipe.splitlines()))


def _task_queues() -> dict[str, str]:
    from vmo.celery import app

    app.loader.import_default_modules()
    return {
        name: app.amqp.router.route({}, name)["queue"].name
        for name in app.tasks
        if not name.startswith("celery.")
    }


def test_every_task_is_routed_to_a_queue_a_documented_worker_consumes():
    consumed = set().union(*_documented_workers())
    queues = _task_queues()
    assert len(queues) > 20  # the walk found the project's tasks, not only Celery's own
    orphans = {name: queue for name, queue in queues.items() if queue not in consumed}
    assert orphans == {}, f"tasks on queues no worker in docs/operations.md consumes: {orphans}"
    assert set(settings.VMO_QUEUES) == set(queues.values())


def test_make_worker_consumes_every_queue():
    assert _make_worker() == set(settings.VMO_QUEUES)


def test_one_time_codes_have_a_queue_no_scan_shares():
    queues = _task_queues()
    assert queues["notices.deliver_code"] == "codes"
    assert [name for name, queue in queues.items() if queue == "codes"] == ["notices.deliver_code"]
    assert queues["notices.scans_run"] != queues["notices.deliver"]


# Built from parts so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        (
            r"\.\./" + "shared/",
            "/" + "work/",
            r"\b(?:DOMAIN|DESIGN|CATALOGUE|STYLE)" + r"\.md",
        )
    )
)
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".po", ".json", ".yml", ".sh", ""}


def test_nothing_points_at_files_outside_the_repository():
    """The product stands on its own: its rules are in docs/, not in a folder beside it."""
    places = [ROOT / name for name in ("src", "tests", "docs", ".ci")]
    files = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
    for place in places:
        files += [p for p in place.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        if path != Path(__file__).resolve() and "__pycache__" not in path.parts
        for number, line in enumerate(
            path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1
        )
        if OUTSIDE.search(line)
    ]
    assert hits == []


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback.__module__


def _is_officer_module(module: str) -> bool:
    # docs/architecture.md, "Where officers' pages live".
    return module.startswith("vmo.office.") or module.endswith(".office_views")


def test_officer_pages_live_in_office_views_under_office():
    routes = [(r, m) for r, m in _views(get_resolver().url_patterns) if m.startswith("vmo.")]
    misplaced = [(r, m) for r, m in routes if r.startswith("office/") != _is_officer_module(m)]
    assert misplaced == [], misplaced


def test_make_test_enforces_a_coverage_floor():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    floor = int(re.search(r"^COVERAGE_FLOOR := (\d+)$", text, re.MULTILINE)[1])
    assert floor >= 93  # measured on 2026-12-02; the floor only rises
    recipe = text.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "--cov-fail-under=$(COVERAGE_FLOOR)" in recipe


# Long files hide more than one responsibility; split them along their sections into a package
# (see education/services/). The allow-list names the ones not split yet: it may only shrink, so an
# entry that has dropped under the limit fails too and must be removed.
MAX_LINES = 400
LONG_FILES_NOT_YET_SPLIT: set[str] = set()


def _source_lengths() -> dict[str, int]:
    src = ROOT / "src"
    return {
        path.relative_to(src).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in src.rglob("*.py")
        if "migrations" not in path.parts
    }


def test_no_source_file_is_longer_than_the_limit_unless_allow_listed():
    too_long = {path for path, length in _source_lengths().items() if length > MAX_LINES}
    assert too_long - LONG_FILES_NOT_YET_SPLIT == set()


def test_long_file_allow_list_only_names_files_still_too_long():
    lengths = _source_lengths()
    stale = {path for path in LONG_FILES_NOT_YET_SPLIT if lengths.get(path, 0) <= MAX_LINES}
    assert stale == set()


def test_every_service_says_who_its_actor_is():
    """An actor typed Any lets a view hand a service AnonymousUser or a bare id unnoticed; the
    type checker catches it only if the parameter says User (User | None where the system acts)."""
    untyped = {
        f"{path.relative_to(ROOT / 'src').as_posix()}:{number}"
        for path in (ROOT / "src").rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bactor: (Any|object)\b", line)
    }
    assert untyped == set()
