from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus


class Application(models.Model):
    """An application for one business. The engine (state machine, materials) builds on this."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    business_code = models.CharField(_("business"), max_length=4, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["applicant", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.business_code}"
