"""Issue 15, "Done when": crawl every page reachable by following the product's own links, as
anonymous, as a citizen and as an officer, in Chinese and English, at 360 and 1280 px, and check
each page: no horizontal overflow, no Han text on English pages outside `lang="zh-Hans"`, no
`aria-describedby`/`aria-labelledby`/`for` naming a missing id, axe clean, and no link the
product shows answering 4xx/5xx. Every failure is collected and reported together.

Bounded so the suite stays fast (one test per role and language, so the crawls share out over
the test workers): one page per URL pattern (digits and long codes replaced), at
most MAX_PAGES per user and language (officers: several users, see CRAWLERS); each page is loaded once and checked at 1280 px, then the
viewport is narrowed to 360 px and the same document checked again (media queries re-apply)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.browser import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_PAGES = 50
# Who crawls for each role. Officers see different parts of the office (separation of duties):
# the administrator's crawl is followed by the content editor's and the auditor's, and the
# supervisor (the applications workbench and its detail pages, violations, appointments,
# persons) has a test of its own. After a test's first user, and for the supervisor, only
# office pages are queued: the public ones are checked by the first.
CRAWLERS = {
    "anonymous": [None],
    "citizen": ["citizen"],
    "officer": ["admin", "editor", "auditor"],
    "supervisor": ["supervisor"],
}
OFFICE_PAGE = re.compile(r"^/(office|payments/office)/")
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
# Links followed by the test client only (they end a session or answer with a file).
NOT_CRAWLED = re.compile(
    r"(logout|/download|\.pdf$|/pdf/|/file/|/files/|/export|/csv/|\.csv$|/media/|\.pem$|\.crl$)"
)

# Text nodes with Han characters and no ancestor marked as Chinese.
STRAY_HAN = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/\\p{Script=Han}/u.test(node.data)) continue;
    const el = node.parentElement;
    if (!el || el.closest('[lang^=zh]') || el.closest('script,style,noscript,template')) continue;
    if (!el.getClientRects().length && !el.closest('option')) continue;
    out.push(el.tagName.toLowerCase() + ': ' + node.data.trim().slice(0, 60));
  }
  return out.slice(0, 8);
}"""

DANGLING_IDS = """() => {
  const out = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'for']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) out.push(el.tagName.toLowerCase() + '[' + attr + '=' + id + ']');
      }
    }
  }
  return out;
}"""

OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5
    && !el.closest('.table-scroll'))
  .slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""

LINKS = """() => [...document.querySelectorAll('a[href]')].map(a => a.href)"""


def _pattern(path: str) -> str:
    # /office/applications/SQ20260101000123/ and /violations/42/ are one pattern each.
    return re.sub(r"[A-Z]{0,4}\d[\w-]*", "N", path)


def _seed() -> dict[str, object]:
    from vmo.accounts.models import User
    from vmo.core import clock
    from vmo.demo.ensure import violation_codes_sync
    from vmo.demo.seed import named_ensure, officers_ensure
    from vmo.demo.services_demo import services_ensure
    from vmo.registry.lookup import phone_lookup_hash

    today = clock.today()
    violation_codes_sync()
    officers_ensure()
    named_ensure(today)
    citizens = [
        User.objects.get(person__phone_hash=phone_lookup_hash(phone))
        for phone in ("13899990001", "13899990002")
    ]
    services_ensure(
        today=today,
        citizens=citizens,
        editor=User.objects.get(username="editor"),
        reviewer=User.objects.get(username="editor2"),
    )
    officers = {u.username: u for u in User.objects.filter(kind="officer")}
    return {"citizen": citizens[0], **officers}


def _session_client(user) -> Client:
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.kind == "officer":
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
        session.save()
    return client


def _check(page, url: str, lang: str, width: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    if not page.evaluate("document.documentElement.scrollWidth <= innerWidth"):
        width_px = page.evaluate("document.documentElement.scrollWidth")
        problems.append(f"overflow {width_px}px: {page.evaluate(OVERFLOWING)}")
    if lang == "en":
        stray = page.evaluate(STRAY_HAN)
        if stray:
            problems.append(f"Han outside lang=zh-Hans: {stray}")
    dangling = page.evaluate(DANGLING_IDS)
    if dangling:
        problems.append(f"missing ids: {dangling}")
    violations = Axe().run(page).response["violations"]
    if violations:
        problems.append(
            "axe: "
            + "; ".join(f"{v['id']} {[n['target'] for n in v['nodes']][:2]}" for v in violations)
        )
    return [f"{url} [{lang} {width}] {p}" for p in problems]


def _crawl(
    page_factory, live_server, user, lang: str, *, seen: set[str], office_only: bool = False
) -> list[str]:
    failures: list[str] = []
    client = _session_client(user)
    origin = live_server.url
    locale = LOCALES[lang]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    page = page_factory(viewport=DESKTOP, locale=locale)
    if user is not None:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": origin,
                }
            ]
        )
    kind = getattr(user, "kind", "")
    start = "/office/" if kind == "officer" else "/me/" if user is not None else "/"
    queue = deque(dict.fromkeys([start] if office_only else [start, "/"]))
    seen.update(_pattern(p) for p in queue)
    probed, visited = set(), 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        page.set_viewport_size(DESKTOP)
        try:
            response = page.goto(origin + path)
        except Exception as error:  # a download or a crash: report it, crawl on
            failures.append(f"{path} [{lang}] does not load: {str(error).splitlines()[0]}")
            continue
        visited += 1
        status = response.status if response else 0
        if status >= 400:
            failures.append(f"{path} [{lang}] answers {status} (linked by the product)")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue  # a feed or a file the browser shows as text: nothing to check
        if page.locator("html").get_attribute("lang") != ("en" if lang == "en" else "zh-Hans"):
            failures.append(f"{path} [{lang}] html lang is not {lang}")
        failures += _check(page, path, lang[:2], "1280")
        page.set_viewport_size(PHONE)
        failures += _check(page, path, lang[:2], "360")
        for href in page.evaluate(LINKS):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if not href.startswith(origin) or parts.path.startswith("/static/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if NOT_CRAWLED.search(parts.path):
                if target not in probed:
                    probed.add(target)
                    answer = client.get(target)
                    if answer.status_code >= 400:
                        failures.append(f"{target} [{lang}] answers {answer.status_code}")
                continue
            key = _pattern(parts.path)
            if office_only and not OFFICE_PAGE.match(parts.path):
                continue
            if key not in seen:
                seen.add(key)
                queue.append(target)
    return failures


# Up to 50 pages, each checked twice with axe: about four minutes on a loaded two-core machine.
@pytest.mark.timeout(600)
@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("role", list(CRAWLERS))
def test_every_reachable_page_passes_the_checks(page_factory, live_server, role, lang):
    users = _seed()
    seen: set[str] = set()
    failures: list[str] = []
    for n, name in enumerate(CRAWLERS[role]):
        user = users[name] if name else None
        office_only = n > 0 or role == "supervisor"
        failures += _crawl(
            page_factory, live_server, user, lang, seen=seen, office_only=office_only
        )
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
