"""The anonymous public pages (home, guide, announcements, publications) cached whole, per
language, and invalidated when an editor publishes (issue 13).

- Only GET/HEAD from a visitor who is not signed in and has no message waiting, and only with
  the query parameters a view names (the page number by default): a search is not cached, so
  nobody can fill the cache with made-up addresses.
- The key holds the language, the path and a generation number. Publishing services call
  `public_pages_changed()`, which moves the generation on at once and again after the commit
  (a request that read the old rows between the two cannot keep them cached).
- A page that changes by the clock (an announcement due at 10:00) is kept only until that
  moment: the view gives `until`, the next time anything on the page changes by itself.
- The CSRF token of the language form is not shared: it is cut out before storing and each
  visitor gets their own when the page is served (and the cookie that goes with it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from . import cachesafe, clock
from .selectors import office_config_drop_local

GENERATION_KEY = "pagecache:generation"
TTL = 300  # seconds: a bound for what no service announces (the office's own settings)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
_PLACEHOLDER = "\x00csrf\x00"
_PAGE_NUMBER = re.compile(r"\d{1,4}")

View = Callable[..., HttpResponse]


def _generation() -> int:
    return int(cache.get_or_set(GENERATION_KEY, 1, timeout=None) or 1)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or first time): any new number will do
        cache.set(GENERATION_KEY, _generation() + 1, timeout=None)


def public_pages_changed() -> None:
    """Call in the transaction of anything that changes what the public pages show."""
    _bump()
    transaction.on_commit(_bump)


def _cacheable(request: HttpRequest, params: frozenset[str]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "user", None) is None or request.user.is_authenticated:
        return False
    if set(request.GET) - params:
        return False
    page = request.GET.get("page")
    if page is not None and not _PAGE_NUMBER.fullmatch(page):
        return False
    return len(get_messages(request)) == 0


# The last generation this process served under. Another process's change of what the pages
# show (the office's settings) reaches this one as a new generation; what this process holds
# for a few seconds is dropped then, before it renders a page to keep under that generation
# (held, the page would keep the old settings for the whole TTL).
_served: dict[str, int] = {}


def _noticed(generation: int) -> None:
    if _served.get("generation") != generation:
        office_config_drop_local()
        _served["generation"] = generation


def _key(request: HttpRequest) -> str:
    generation = _generation()
    _noticed(generation)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"pagecache:{generation}:{get_language()}:{path}"


def _timeout(until: Callable[[], datetime | None] | None) -> int:
    if until is None:
        return TTL
    moment = until()
    if moment is None:
        return TTL
    return max(0, min(TTL, int((moment - clock.now()).total_seconds())))


def cached_public_page(
    *, params: tuple[str, ...] = ("page",), until: Callable[[], datetime | None] | None = None
) -> Callable[[View], View]:
    """Serve the view's page from the cache to anonymous visitors (see the module's text)."""
    allowed = frozenset(params)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request, allowed) or cachesafe.cache_down():
                return view(request, *args, **kwargs)
            key = cachesafe.optional(_key, request, default="")
            stored = cachesafe.optional(cache.get, key, default=None) if key else None
            if stored is not None:
                content_type, body = stored
                return HttpResponse(
                    body.replace(_PLACEHOLDER, get_token(request)), content_type=content_type
                )
            response = view(request, *args, **kwargs)
            ok = response.status_code == 200 and not response.streaming and not response.cookies
            if key and ok:
                body = response.content.decode(response.charset)
                timeout = _timeout(until)
                if timeout > 0:
                    body = _TOKEN.sub(lambda m: m.group(1) + _PLACEHOLDER + m.group(3), body)
                    entry = (response["Content-Type"], body)
                    cachesafe.optional(cache.set, key, entry, timeout, default=None)
            return response

        return wrapper

    return decorate
