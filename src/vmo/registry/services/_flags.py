"""What the licence and vehicle services share: decided status letters and storing the letters
the rules derive, with their history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vmo.core.services import event_record

if TYPE_CHECKING:
    from vmo.accounts.models import User

    from ..models import DriverLicence, Vehicle


def _changed_flags(current: str, *, add: str, remove: str, derived: frozenset[str]) -> str:
    """The decided letters after a change; letters derived from facts cannot be set by hand."""
    bad = set(add + remove) & derived
    if bad:
        raise ValidationError(
            _("Status letters %(letters)s follow from the facts and cannot be set.")
            % {"letters": "".join(sorted(bad))}
        )
    return "".join(sorted((set(current) | set(add)) - set(remove)))


def status_store(
    *, record: DriverLicence | Vehicle, status: str, action: str, actor: User | None, reason: str
) -> None:
    """Save the letters the rules derived (with the flags just changed) and their history event;
    unchanged letters write nothing."""
    if status == record.status:
        return
    before = record.status
    record.status = status
    record.save(update_fields=["status", "flags", "updated_at"])
    event_record(
        actor=actor,
        subject=record,
        action=action,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
