"""Everything the engine checks on submission, collected at once (一次性告知)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from vmo.catalog.businesses.base import Business
from vmo.catalog.spec import Facts, FieldKind
from vmo.core import clock

# Problems are Phrases: a correction the office asks for with the engine's own words is kept as
# their message id and values, and its reader reads it in their language.
from vmo.core.phrases import phrase as _
from vmo.core.phrases import phrase_of
from vmo.core.text import check_plain_text
from vmo.registry.rules import add_months
from vmo.registry.validators import validate_mobile_phone

from .choices import PENDING_STATUSES
from .models import Application, ApplicationFile


@dataclass(frozen=True)
class Problem:
    item: str  # "condition:<code>", "material:<code>", "field:<name>"
    # The engine's own words are a Phrase (said again in any language); an officer's are typed.
    message: str
    basis: str = ""
    version: int = 0


def _pending_same_vin(application: Application) -> tuple[str, ...]:
    """The references of the other applications of its business for the VIN it names that
    were submitted and are still with the office or sent back for correction (a draft is not
    yet an application), oldest first. The answers are sealed, so each is read: there are few
    such applications of one business at a time."""
    vin = str(application.data.get("vin", "") or "").strip().upper()
    if not vin:
        return ()
    rows = (
        Application.objects.filter(
            business_code=application.business_code, status__in=PENDING_STATUSES
        )
        .exclude(pk=application.pk)
        .order_by("pk")
        .only("reference", "data_json")
    )
    return tuple(
        row.reference
        for row in rows.iterator()
        if str(row.data.get("vin", "") or "").strip().upper() == vin
    )


# The condition whose VIN the database also holds (``Application.held_vin``).
ONE_PER_VIN = "temp_one_application"


def held_vin(application: Application) -> str:
    """The VIN the application holds while pending, for a business with the one-application-
    per-VIN condition (temporary plates); blank otherwise."""
    if not any(c.code == ONE_PER_VIN for c in application.business.conditions):
        return ""
    return str(application.data.get("vin", "") or "").strip().upper()[:17]


def facts_for(application: Application) -> Facts:
    return Facts(
        today=clock.today(),
        person=application.person,
        licence=application.licence,
        vehicle=application.vehicle,
        data=application.data,
        materials=frozenset(
            application.files.filter(current=True).values_list("material", flat=True)
        ),
        counterparty_confirmed=application.counterparty_confirmed_at is not None,
        pending_same_vin=lambda: _pending_same_vin(application),
    )


def condition_problems(business: Business, facts: Facts) -> list[Problem]:
    problems = []
    for condition in business.conditions:
        if not condition.test(facts):
            problems.append(
                Problem(
                    item=f"condition:{condition.code}",
                    message=phrase_of(condition.problem or condition.text),
                    basis=condition.basis.zh,
                )
            )
    return problems


def field_errors(business: Business, data: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem with the form answers, by field name."""
    errors: dict[str, list[str]] = {}
    for spec in business.fields:
        value = str(data.get(spec.name, "") or "").strip()
        found: list[str] = []
        if not value:
            if spec.required:
                found.append(_("%(field)s is required.") % {"field": spec.label})
        elif len(value) > spec.max_length:
            found.append(
                _("%(field)s is longer than %(n)s characters.")
                % {"field": spec.label, "n": spec.max_length}
            )
        elif unsafe := check_plain_text(value, field=str(spec.label)):
            found.append(unsafe)
        elif spec.kind == FieldKind.CHOICE and value not in {c for c, _label in spec.choices}:
            found.append(_("Choose one of the options for %(field)s.") % {"field": spec.label})
        elif spec.kind == FieldKind.DATE:
            from datetime import date

            try:
                date.fromisoformat(value)
            except ValueError:
                found.append(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": spec.label})
        elif spec.kind == FieldKind.PHONE:
            try:
                validate_mobile_phone(value)
            except ValidationError:
                found.append(_("%(field)s is not a valid mobile number.") % {"field": spec.label})
        if found:
            errors[spec.name] = found
    return errors


def material_problems(
    business: Business, files: dict[str, ApplicationFile], today: Any
) -> list[Problem]:
    problems = []
    for material in business.materials:
        current = files.get(material.code)
        item = f"material:{material.code}"
        if current is None:
            if material.required:
                problems.append(
                    Problem(item, _("%(material)s is missing.") % {"material": material.name})
                )
            continue
        months = material.issued_within_months
        if months and (current.issued_on is None or add_months(current.issued_on, months) < today):
            problems.append(
                Problem(
                    item,
                    _("%(material)s must be dated within the last %(n)s months.")
                    % {"material": material.name, "n": months},
                    version=current.version,
                )
            )
    return problems


def all_problems(application: Application) -> list[Problem]:
    """Conditions, form answers and materials: the complete list, in that order."""
    business = application.business
    facts = facts_for(application)
    problems = condition_problems(business, facts)
    for name, messages in field_errors(business, application.data).items():
        problems += [
            Problem(f"field:{name}", message, version=application.data_version)
            for message in messages
        ]
    files = {f.material: f for f in application.files.filter(current=True)}
    problems += material_problems(business, files, facts.today)
    return problems


class Incomplete(ValidationError):
    """The applicant's own submission with something missing or wrong: refused, nothing changed,
    every problem listed (keyed by item, so forms and the API name each). The one-time notice
    (needs correction) is for what the office finds after accepting, never for this."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors: dict[str, list[ValidationError]] = {}
        for p in problems:
            errors.setdefault(p.item, []).append(ValidationError(p.message, code="incomplete"))
        super().__init__(errors)


def anchor_of(item: str) -> str:
    """The part of the application's page where an item is answered: "" if the applicant cannot
    change it there (a condition on the records)."""
    kind, _sep, name = item.partition(":")
    return {"material": f"material-{name}", "field": f"answer-{name}"}.get(kind, "")


def item_versions(application: Application) -> dict[str, int]:
    """The version of each item now: a correction asked about an unchanged version needs a
    recorded reason for asking again."""
    versions = {
        f"material:{m}": v
        for m, v in application.files.filter(current=True).values_list("material", "version")
    }
    for spec in application.business.fields:
        versions[f"field:{spec.name}"] = application.data_version
    return versions
