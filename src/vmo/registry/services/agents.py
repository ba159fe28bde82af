"""The office records a company's authorisation of an agent, and revokes it (issue 12).

The officer has the company's signed letter in hand; the letter has passed the upload checks
before it reaches here (the caller judges the file, the registry keeps it). Each change is one
transaction with its event in the history; access follows from the dates at once
(`registry.company_selectors`), with no job to run.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from ..choices import CompanyRole
from ..models import AgentAuthorisation, Company, CompanyRepresentative, Person

if TYPE_CHECKING:
    from vmo.accounts.models import User


@transaction.atomic
def agent_name(*, actor: User | None, company: Company, person: Person) -> CompanyRepresentative:
    """The company names the person its agent: a registry fact that grants nothing by itself."""
    rep, created = CompanyRepresentative.objects.get_or_create(
        company=company, person=person, defaults={"role": CompanyRole.AGENT}
    )
    if created:
        event_record(
            actor=actor,
            subject=company,
            action="agent.named",
            after={"person_id": person.pk, "role": rep.role},
        )
    return rep


def authorisation_problems(
    *, company: Company, person: Person, valid_from: date, valid_until: date
) -> dict[str, list[str]]:
    """Every reason the authorisation cannot be recorded, by field (reads only): the office's
    page asks it too, so a refused letter and wrong dates are told at once."""
    today = clock.today()
    errors: dict[str, list[str]] = {}
    if CompanyRepresentative.objects.filter(
        company=company, person=person, role=CompanyRole.LEGAL_REPRESENTATIVE
    ).exists():
        errors.setdefault("id_number", []).append(
            _("This person is the company's legal representative and needs no authorisation.")
        )
    if valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The authorisation cannot end before it starts.")
        )
    elif valid_until < today:
        errors.setdefault("valid_until", []).append(_("The authorisation has already ended."))
    overlapping = AgentAuthorisation.objects.filter(
        company=company,
        person=person,
        revoked_at__isnull=True,
        valid_from__lte=valid_until,
        valid_until__gte=valid_from,
    ).first()
    if overlapping is not None:
        errors.setdefault("valid_from", []).append(
            _(
                "This agent is already authorised from %(start)s to %(end)s:"
                " revoke that authorisation first."
            )
            % {
                "start": date_format(overlapping.valid_from, "DATE_FORMAT"),
                "end": date_format(overlapping.valid_until, "DATE_FORMAT"),
            }
        )
    return errors


@transaction.atomic
def agent_authorise(
    *,
    actor: User | None,
    company: Company,
    person: Person,
    letter: bytes,
    letter_content_type: str,
    letter_extension: str,
    valid_from: date,
    valid_until: date,
) -> AgentAuthorisation:
    """Record the company's authorisation of the person from valid_from to valid_until
    inclusive. Refused (every reason at once): the company's legal representative (who needs
    none), dates out of order or already past, an authorisation of the same agent that overlaps."""
    Company.objects.select_for_update().get(pk=company.pk)  # one recording per company at a time
    errors = authorisation_problems(
        company=company, person=person, valid_from=valid_from, valid_until=valid_until
    )
    if not letter:
        errors.setdefault("letter", []).append(_("Upload the company's letter of authorisation."))
    if errors:
        raise ValidationError(errors)
    agent_name(actor=actor, company=company, person=person)
    authorisation = AgentAuthorisation(
        company=company,
        person=person,
        letter_content_type=letter_content_type,
        letter_sha256=hashlib.sha256(letter).hexdigest(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_at=clock.now(),
    )
    authorisation.letter.save(f"letter{letter_extension}", ContentFile(letter), save=False)
    authorisation.save()
    event_record(
        actor=actor,
        subject=authorisation,
        action="agent.authorise",
        after={
            "company_id": company.pk,
            "person_id": person.pk,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "letter_sha256": authorisation.letter_sha256,
        },
    )
    return authorisation


@transaction.atomic
def agent_revoke(
    *, actor: User | None, authorisation: AgentAuthorisation, reason: str
) -> AgentAuthorisation:
    """End the authorisation now: from this moment the agent sees nothing of the company."""
    authorisation = AgentAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if authorisation.revoked_at is not None:
        errors["reason"] = [_("This authorisation is already revoked.")]
    elif authorisation.valid_until < clock.today():
        errors["reason"] = [_("This authorisation has already ended.")]
    elif not reason:
        errors["reason"] = [_("Give the reason for the revocation.")]
    if errors:
        raise ValidationError(errors)
    authorisation.revoked_at = clock.now()
    authorisation.save(update_fields=["revoked_at"])
    event_record(
        actor=actor,
        subject=authorisation,
        action="agent.revoke",
        before={"revoked_at": None},
        after={"revoked_at": authorisation.revoked_at.isoformat()},
        reason=reason[:500],
    )
    return authorisation
