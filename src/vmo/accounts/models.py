from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .choices import AccountKind, CodePurpose, IdentityCheckStatus, IdentityMethod, OfficerRole


def new_session_salt() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A citizen (linked to their Person record) or an officer (with a role and TOTP)."""

    kind = models.CharField(
        _("account kind"), max_length=10, choices=AccountKind.choices, default=AccountKind.CITIZEN
    )
    person = models.OneToOneField(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    role = models.CharField(
        _("officer role"), max_length=12, choices=OfficerRole.choices, blank=True
    )
    # Rotating this salt invalidates every session of the user ("sign out everywhere").
    session_salt = models.CharField(max_length=32, default=new_session_salt, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="officer", person__isnull=True) & ~Q(role="")
                | Q(kind="citizen", role=""),
                name="account_kind_consistent",
            )
        ]

    def __str__(self) -> str:
        if self.kind == AccountKind.OFFICER:
            return f"{self.get_full_name() or self.username} ({self.get_role_display()})"
        return self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == AccountKind.OFFICER

    @property
    def is_citizen(self) -> bool:
        return self.kind == AccountKind.CITIZEN

    def get_session_auth_hash(self) -> str:
        key_salt = "vmo.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_salt}", algorithm="sha256"
        ).hexdigest()


class OneTimeCode(models.Model):
    """A code sent by SMS to prove control of a phone; only its hash is kept."""

    purpose = models.CharField(max_length=10, choices=CodePurpose.choices)
    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=128)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} code #{self.pk}"


class ApiToken(models.Model):
    """A bearer token for API clients; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdentityClaim(models.Model):
    """Who a citizen's account says it is. Until verified_at is set the account is not linked to
    any person and sees nothing of the registry; name, ID number and phone are kept sealed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="identity_claim")
    sealed = models.TextField()
    id_hash = models.CharField(max_length=64, db_index=True)
    phone_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()
    method = models.CharField(max_length=6, choices=IdentityMethod.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"identity claim of account #{self.user_id}"


class IdentityCheck(models.Model):
    """One online identity verification with the provider; its result arrives by callback."""

    claim = models.ForeignKey(IdentityClaim, on_delete=models.CASCADE, related_name="checks")
    provider = models.CharField(max_length=20)
    reference = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=8, choices=IdentityCheckStatus.choices, default=IdentityCheckStatus.PENDING
    )
    # The provider's failure code (or ours); the page renders it in the reader's language.
    reason = models.CharField(max_length=30, blank=True)
    # The provider's id for the verification (FaceID's BizToken: its result is asked with it),
    # and its own code and words for a failure (for the officers; the person sees `reason`).
    provider_ref = models.CharField(max_length=100, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} check {self.reference}"
