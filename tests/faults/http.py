"""A small HTTP client for the fault tests (loopback only): timed requests that never raise for
an error status, and a browser-like client with cookies that signs in through the real form."""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    seconds: float
    body: str
    retry_after: str | None
    language: str

    def row(self) -> dict:
        return {
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "body": self.body if self.status >= 400 else "",
            "retry_after": self.retry_after,
            "language": self.language,
        }


def _open(opener, request: urllib.request.Request, language: str, timeout: float) -> Answer:
    request.add_header("Accept-Language", language)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            status, body, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        status, body, headers = exc.code, exc.read(), exc.headers
    took = time.monotonic() - started
    return Answer(status, took, body.decode(errors="replace"), headers.get("Retry-After"), language)


_plain = urllib.request.build_opener()


def get(url: str, *, language: str = "en", timeout: float = 30) -> Answer:
    return _open(_plain, urllib.request.Request(url), language, timeout)  # noqa: S310 - loopback


def post(url: str, body: bytes, headers: dict[str, str], *, language: str = "en") -> Answer:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    return _open(_plain, request, language, 30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is an answer of its own here
        return None


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str, *, language: str = "en") -> Answer:
        return _open(self.opener, urllib.request.Request(self.base + path), language, 30)  # noqa: S310

    def post_form(self, path: str, data: dict[str, str], *, language: str = "en") -> Answer:
        """Send a page's form as a browser would: its CSRF token first, from the page."""
        form = self.get(path, language=language)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        assert token, f"no CSRF token on {path}: {form.status} {form.body[:3000]}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        return _open(self.opener, request, language, 30)

    def sign_in(self, identifier: str, password: str) -> int:
        """Sign in through the page's form; the status of the form's answer (302 when signed in)."""
        form = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        assert token, f"no CSRF token on the sign-in page: {form.status} {form.body[:3000]}"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "identifier": identifier, "password": password}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data, method="POST")  # noqa: S310
        return _open(self.opener, request, "en", 30).status
