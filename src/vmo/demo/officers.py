"""The officers the generated records name: who decided at a counter, who decided applications."""

from __future__ import annotations

from vmo.accounts.choices import AccountKind, OfficerRole
from vmo.accounts.models import User

GENERATOR_OFFICER = "gen-counter"


def _officer(role: str, username: str) -> User:
    found = (
        User.objects.filter(kind=AccountKind.OFFICER, role=role, is_active=True)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    # A database without the demo's officers (the tests): one officer who cannot sign in.
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"kind": AccountKind.OFFICER, "role": role, "first_name": "generated"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def counter_officer() -> User:
    """Counter decisions need the violations.counter permission: a supervisor's."""
    return _officer(OfficerRole.SUPERVISOR, GENERATOR_OFFICER)


def reviewer() -> User:
    return _officer(OfficerRole.REVIEWER, "gen-reviewer")
