from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    OFFICER = "officer", _("officer")


class OfficerRole(models.TextChoices):
    CLERK = "clerk", _("clerk")
    REVIEWER = "reviewer", _("reviewer")
    SUPERVISOR = "supervisor", _("supervisor")
    CONTENT_EDITOR = "editor", _("content editor")
    ADMINISTRATOR = "admin", _("administrator")
    AUDITOR = "auditor", _("auditor")


class CodePurpose(models.TextChoices):
    SIGN_UP = "signup", _("sign-up")
    PASSWORD_RESET = "reset", _("password reset")
    PHONE_CHANGE = "phone", _("phone change")


class IdentityMethod(models.TextChoices):
    """How a citizen's account proved who it is before it was linked to the person's records."""

    PHONE_ON_RECORD = "phone", _("code to the phone on record")
    ONLINE = "online", _("online identity verification")
    HALL = "hall", _("at a service hall")


class IdentityCheckStatus(models.TextChoices):
    PENDING = "pending", _("being checked")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
