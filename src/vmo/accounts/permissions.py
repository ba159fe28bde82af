"""Who may do what. Views and API handlers check here, on the server, for every request.

Officers hold one role; each role grants a set of capabilities. A view names the capability it
needs, never a role, so the mapping can change in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .choices import OfficerRole

CAPABILITIES: dict[str, frozenset[str]] = {
    OfficerRole.CLERK: frozenset(
        {
            "person.view",
            "application.check",
            "violations.view",
            "appointments.record",
            "identity.verify",
            # On-site days of the full-score study (R163 Art 19).
            "education.onsite",
            "agents.authorise",
        }
    ),
    OfficerRole.REVIEWER: frozenset(
        {"person.view", "application.check", "application.decide", "violations.view"}
    ),
    OfficerRole.SUPERVISOR: frozenset(
        {
            "person.view",
            "identity.verify",
            "agents.authorise",
            "application.check",
            "application.decide",
            "workbench.supervise",
            "payments.reconcile",
            "violations.view",
            "violations.void",
            "violations.proxy_clear",
            "violations.counter",
            "vehicles.scrap_void",
            "appointments.record",
            "appointments.manage",
            "plates.manage",
            "notices.view",
            "organisations.manage",
            "education.onsite",
            # Findings of falsified study (R163 Art 31): they revoke reductions.
            "education.cheating",
        }
    ),
    # An editor reviews other editors' work; the services refuse review of one's own.
    OfficerRole.CONTENT_EDITOR: frozenset({"content.edit", "content.review"}),
    OfficerRole.ADMINISTRATOR: frozenset(
        {
            "config.edit",
            "calendar.edit",
            "officer.manage",
            "plates.manage",
            "appointments.manage",
            "notices.view",
            "organisations.manage",
        }
    ),
    OfficerRole.AUDITOR: frozenset(
        {"audit.view", "person.view", "payments.reconcile", "violations.view"}
    ),
}


def is_verified_officer(user: Any) -> bool:
    """A signed-in, active officer who passed the TOTP step in this session."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_officer", False)
        and user.is_active
        and user.is_verified()
    )


def roles_with(capability: str) -> list[str]:
    """The officer roles whose capabilities include this one (to find who may act)."""
    return [role for role, caps in CAPABILITIES.items() if capability in caps]


def officer_can(user: Any, capability: str) -> bool:
    """True for a verified officer whose role grants the capability."""
    return is_verified_officer(user) and capability in CAPABILITIES.get(user.role, frozenset())


def verified_officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any verified officer, whatever the role (for pages that need no capability)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_verified_officer(request.user):
            return redirect_to_login(request.get_full_path(), "accounts:officer_login")
        return view(request, *args, **kwargs)

    return wrapped


def officer_required(
    *capabilities: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A verified officer whose role grants any of the capabilities (each action inside may
    check its own)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_verified_officer(request.user):
                return redirect_to_login(request.get_full_path(), "accounts:officer_login")
            if not any(officer_can(request.user, c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "accounts:login")
        if not getattr(user, "is_citizen", False):
            raise PermissionDenied
        if user.person_id is None:
            # Signed up but not yet proved who they are: nothing of the registry until then.
            return redirect("accounts:identity")
        return view(request, *args, **kwargs)

    return wrapped
