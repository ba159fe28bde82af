"""What the writes of violations share: who the citizen is, failures, the payment deadline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from vmo.core import workdays

from .. import rules

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person


def _fail(*messages: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: list(messages)})


def _person_of(actor: User) -> Person:
    person = getattr(actor, "person", None)
    if person is None or not getattr(actor, "is_citizen", False):
        raise _fail(_("Only a citizen's own account can do this."))
    return person


def decision_payment_due(*, decided_on: date) -> date:
    """15 natural days (rules.payment_due); a deadline on a holiday moves to the next working day."""
    return workdays.next_working_day_on_or_after(rules.payment_due(decided_on))
