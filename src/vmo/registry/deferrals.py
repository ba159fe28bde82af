"""A renewal deferral (D04, R162 Art 75) as a filter on licences: `rules.renewal_deferral_in_force`,
the one rule, for the scans and warnings that read many licences at once. Read from
`registry.selectors`."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .choices import LicenceStatus


def renewal_deferral_in_force_q(*, on: date) -> Q:
    """Licences whose renewal deferral holds on the day: the N letter is decided and its end
    date, that day included, has not passed (or was never recorded)."""
    running = Q(renewal_deferred_until__isnull=True) | Q(renewal_deferred_until__gte=on)
    return Q(flags__contains=str(LicenceStatus.RENEWAL_DEFERRED)) & running


def renewal_deferral_ended_q(*, on: date) -> Q:
    """Licences whose renewal deferral has ended by the day (the N letter is decided, its end
    date is before the day): the complement of the rule above among deferred licences."""
    return Q(flags__contains=str(LicenceStatus.RENEWAL_DEFERRED)) & Q(renewal_deferred_until__lt=on)
