"""What each business does to the records when it completes: one function per business code.

Adding a business is adding its definition in ``vmo.catalog.businesses`` and its effect here;
a test checks that every business run by the engine has one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from vmo.core import clock

# Results are Phrases: the applicant's notice says them again in the applicant's language.
from vmo.core.phrases import phrase as _
from vmo.registry import selectors as registry_selectors
from vmo.registry import services as registry
from vmo.registry.rules import add_months, renewed_term

from .models import Application

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence, Person, Vehicle

Effect = Callable[[Application, Any], str]
EFFECTS: dict[str, Effect] = {}


def effect(*codes: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        for code in codes:
            EFFECTS[code] = function
        return function

    return register


def apply_effect(application: Application, *, actor: User | None) -> str:
    """Change the records; returns what changed, in words, for the applicant's notice."""
    return EFFECTS[application.business_code](application, actor)


def _vehicle(application: Application) -> Vehicle:
    # A vehicle business cannot start without one (services.application_start).
    if application.vehicle is None:
        raise RuntimeError(f"{application.reference} has no vehicle")
    return application.vehicle


def _licence(application: Application) -> DriverLicence:
    if application.licence is None:
        raise RuntimeError(f"{application.reference} has no licence")
    return application.licence


def _person_of(user: Any) -> Person:
    person = getattr(user, "person", None)
    if person is None:
        raise RuntimeError("a party without a person record")
    return person


def _reason(application: Application) -> str:
    return f"{application.business_code} {application.reference}"


def _day(value: Any) -> date:
    return date.fromisoformat(str(value))


@effect("D01", "D03")
def licence_reissue(application: Application, actor: User) -> str:
    registry.licence_reissue(
        licence=_licence(application), actor=actor, reason=_reason(application)
    )
    return _("a new licence card is issued; the old card is void.")


@effect("D02")
def licence_renew(application: Application, actor: User) -> str:
    licence = _licence(application)
    if licence.valid_to is None:  # RENEWAL_WINDOW refuses long-term licences
        raise RuntimeError(f"{application.reference}: a long-term licence is not renewed")
    term = renewed_term(
        valid_from=licence.valid_from,
        valid_to=licence.valid_to,
        full_score_cycles=registry_selectors.licence_full_score_cycles(
            licence, start=licence.valid_from, end=licence.valid_to
        ),
    )
    start = licence.valid_to + timedelta(days=1)
    # Renewed after expiry: the new validity starts on the day of renewal [U].
    start = max(start, clock.today())
    end = add_months(start, 12 * term) - timedelta(days=1) if term else None
    # A renewal ends a deferral of it (D04): its letter and its end date go.
    registry.licence_update_dates(
        licence=licence,
        actor=actor,
        reason=_reason(application),
        valid_from=start,
        valid_to=end,
        renewal_deferred_until=None,
    )
    if "N" in licence.flags:
        registry.licence_set_flags(
            licence=licence, actor=actor, remove="N", reason=_reason(application)
        )
    registry.licence_reissue(licence=licence, actor=actor, reason=_reason(application))
    if end is None:
        return _("the licence is renewed and valid long-term.")
    return _("the licence is renewed, valid until %(day)s.") % {"day": end}


@effect("D04")
def renewal_defer(application: Application, actor: User) -> str:
    until = _day(application.data["defer_until"])
    registry.licence_update_dates(
        licence=_licence(application),
        actor=actor,
        reason=_reason(application),
        renewal_deferred_until=until,
    )
    registry.licence_set_flags(
        licence=_licence(application),
        actor=actor,
        add="N",
        reason=f"{_reason(application)} until {until}",
    )
    return _("renewal is deferred until %(day)s; you may not drive meanwhile.") % {"day": until}


@effect("D05")
def verification_defer(application: Application, actor: User) -> str:
    until = _day(application.data["defer_until"])
    registry.licence_update_dates(
        licence=_licence(application),
        actor=actor,
        reason=_reason(application),
        verification_due=until,
    )
    registry.licence_set_flags(
        licence=_licence(application), actor=actor, add="T", reason=_reason(application)
    )
    return _("verification is deferred until %(day)s; you may not drive meanwhile.") % {
        "day": until
    }


@effect("D06")
def physical_proof(application: Application, actor: User) -> str:
    licence = _licence(application)
    # Aged 70+: every year; class C5: every 3 years (R162 Art 74).
    months = 36 if "C5" in licence.classes else 12
    if licence.physical_due is None:  # PHYSICAL_REQUIRED refuses such a licence
        raise RuntimeError(f"{application.reference}: no physical-condition proof due")
    due = add_months(licence.physical_due, months)
    registry.licence_update_dates(
        licence=licence, actor=actor, reason=_reason(application), physical_due=due
    )
    if "P" in licence.flags:
        registry.licence_set_flags(
            licence=licence, actor=actor, remove="P", reason=_reason(application)
        )
    return _("the proof is recorded; the next one is due by %(day)s.") % {"day": due}


@effect("D07")
def physical_defer(application: Application, actor: User) -> str:
    until = _day(application.data["defer_until"])
    registry.licence_update_dates(
        licence=_licence(application), actor=actor, reason=_reason(application), physical_due=until
    )
    registry.licence_set_flags(
        licence=_licence(application), actor=actor, add="P", reason=_reason(application)
    )
    return _("the physical-condition proof is deferred until %(day)s.") % {"day": until}


@effect("D09", "V11")
def contact_change(application: Application, actor: User) -> str:
    data = application.data
    registry.person_update_contact(
        actor=actor,
        person=_person_of(application.applicant),
        phone=data.get("phone") or None,
        address=data.get("address") or None,
    )
    return _("your contact details are updated.")


@effect("D10")
def licence_cancel(application: Application, actor: User) -> str:
    registry.licence_set_flags(
        licence=_licence(application), actor=actor, add="G", reason=_reason(application)
    )
    return _("the licence is cancelled at your request.")


# The vehicle businesses' effects register themselves on import; imported last, once ``effect``
# and the helpers they use exist.
from . import vehicle_effects  # noqa: E402, F401
