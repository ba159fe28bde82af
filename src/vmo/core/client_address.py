"""The client's address: one rule for every rate limit, the sign-in lockout and audit lines.

VMO_TRUSTED_PROXIES says how many proxies stand in front of the app servers. With 0 the
address is REMOTE_ADDR and X-Forwarded-For is ignored (a client could write anything in it).
With N, the outermost proxy overwrites X-Forwarded-For with the address it received the
connection from, and each further proxy appends the address it received from, so the header
holds exactly N addresses and its first one is the client's (docs/operations.md). django-ipware
reads the header under that expectation; a header of any other shape is not trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def trusted_proxies() -> int:
    return int(getattr(settings, "VMO_TRUSTED_PROXIES", 0))


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = trusted_proxies()
    if count <= 0:
        return remote or "unknown"
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=count - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
    )
    # A header of the wrong shape means a proxy not set up as documented: REMOTE_ADDR is all
    # that can be trusted then.
    return str(address) if address else (remote or "unknown")


def client_ip_for_lockout(request: HttpRequest) -> str | None:
    """django-axes stores the address in an IP column: no address (a request made inside the
    process, such as a test client's forced sign-in) is None there, not the word "unknown"."""
    address = client_ip(request)
    return None if address == "unknown" else address
