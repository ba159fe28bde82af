"""Who may be named as a record's driver, and how often one account may miss.

An ID number alone would answer "does this person hold a licence?" to anyone who owns a car
or acts for a company, so the name must match too, the way sign-up matches it, and every miss
reads the same. Misses are counted per account with the project's one rate-limit counter
(core.cachesafe): without the cache the attempt is refused (CountersAway), never let through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from vmo.accounts.validators import normalise_name
from vmo.core import cachesafe
from vmo.registry import selectors as registry
from vmo.registry import validators
from vmo.registry.lookup import id_lookup_hash

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import Person

# Drivers not found, per account: a fleet's agent naming its own drivers rarely misses, a
# script walking ID numbers misses nearly every time.
NAMING_MISSES = (10, 3600)


def _misses_key(actor: User) -> str:
    return f"vmo:violations:naming-misses:{actor.pk}"


def _naming_misses_exhausted(actor: User) -> bool:
    limit, _window = NAMING_MISSES
    return int(cachesafe.counted(cache.get, _misses_key(actor), 0)) >= limit


def _naming_miss_record(actor: User) -> None:
    cachesafe.count(_misses_key(actor), NAMING_MISSES[1])


def named_driver(*, id_number: str, name: str) -> Person | None:
    """The person on record under the ID number, under that name (as sign-up compares it),
    holding a driver's licence; None otherwise, whichever part did not match."""
    person = registry.person_by_id_number(id_number)
    if person is None or person.name != normalise_name(name) or not registry.has_licence(person):
        return None
    return person


def not_found_message() -> str:
    return _(
        "No driver's licence is on record for this name and ID number. Check both against"
        " the driver's ID card."
    )


def too_many_misses_message() -> str:
    return _(
        "Too many drivers you named could not be found. Try again in an hour, or name the"
        " driver at the office's counter."
    )


def driver_to_name(
    *,
    actor: User,
    person: Person,
    errors: dict[str, list[str]],
    id_number: str,
    name: str,
    may_be_self: bool,
) -> Person | None:
    """The driver an owner names (a well-formed ID number and a name), or None with the
    problem added to ``errors``. Naming oneself is refused for one's own vehicle (handle it
    instead) but not for a company's, which has no licence."""
    own = id_lookup_hash(validators.normalise_id_number(id_number)) == person.id_hash
    if own and not may_be_self:
        errors.setdefault("driver_id_number", []).append(
            _("That is your own ID number: handle the record yourself instead.")
        )
        return None
    if _naming_misses_exhausted(actor):
        errors.setdefault(NON_FIELD_ERRORS, []).append(too_many_misses_message())
        return None
    driver = named_driver(id_number=id_number, name=name)
    if driver is None:
        _naming_miss_record(actor)
        errors.setdefault(NON_FIELD_ERRORS, []).append(not_found_message())
    return driver
