"""Who is calling: a bearer token (API clients) or the browser's session (with CSRF).

The token is tried first, so an API client never needs a CSRF token; the session is checked for
CSRF only when a session cookie is present, as a browser would send it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle
from ninja.utils import check_csrf

from vmo.accounts import selectors as account_selectors
from vmo.core import cachesafe
from vmo.core.client_address import client_ip

from .errors import ApiError

if TYPE_CHECKING:
    from vmo.registry.models import Person


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = account_selectors.user_for_api_token(token)
        if user is None or not user.is_active:
            return None
        # Handlers and the audit trail read request.user whatever the way in.
        request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is None:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", _("CSRF verification failed. Request aborted."))
        return key


bearer_auth = BearerTokenAuth()
session_auth = BrowserSessionAuth(csrf=True)
AUTH = [bearer_auth, session_auth]


class _Counted:
    """Ninja's throttles count in the cache and check before the operation's own error
    handling: without the cache they refuse through core.cachesafe (CountersAway, the error
    page's 503 in the API's shape), fast, instead of a 500 after a timeout."""

    def allow_request(self, request: HttpRequest) -> bool:
        return cachesafe.counted(super().allow_request, request)  # type: ignore[misc]


class ClientAddressThrottle(_Counted, AnonRateThrottle):
    """Per client address, by the one rule of vmo.core.client_address."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class UserThrottle(_Counted, AuthRateThrottle):
    """Per account; requests without one are counted per client address by the same rule."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


def client_throttle(scope: str, default_rate: str) -> list[BaseThrottle]:
    """A per-address limit with its own counter; VMO_API_RATES = {scope: "10/m"} overrides the rate."""
    rate = getattr(settings, "VMO_API_RATES", {}).get(scope, default_rate)
    throttle = ClientAddressThrottle(rate)
    throttle.scope = scope
    return [throttle]


def user_throttle(default_rate: str = "120/m") -> list[BaseThrottle]:
    return [UserThrottle(getattr(settings, "VMO_API_RATES", {}).get("user", default_rate))]


def citizen_person(request: HttpRequest) -> Person:
    """The Person of the signed-in citizen; officers and accounts without a person are refused."""
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "is_citizen", False):
        raise ApiError(403, "citizens_only", _("Only a citizen's own account can see this."))
    if user.person_id is None:
        raise ApiError(
            403,
            "identity_not_verified",
            _(
                "This account is not yet verified, so it shows none of the records. Verify your identity online or at a service hall: see /accounts/identity/."
            ),
        )
    return user.person
