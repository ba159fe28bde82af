"""The office's record of a company's authorisation of an agent (issue 12).

A company names its agents (`CompanyRepresentative`, role agent), but being named lets an agent
see nothing: only an authorisation the office has recorded, with the company's signed letter
and its validity, does, and only from its first day to its last, until it is revoked. Kept
in its own module so registry/models.py stays within the line limit; models.py imports it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AgentAuthorisation(models.Model):
    company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, related_name="authorisations"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="agent_authorisations"
    )
    # The company's letter, judged by the same content checks as any applicant's upload; only
    # officers read it back.
    letter = models.FileField(upload_to="authorisations/%Y/%m/")
    letter_content_type = models.CharField(max_length=40)
    letter_sha256 = models.CharField(max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    recorded_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")
        ordering = ["-valid_until", "-pk"]
        indexes = [models.Index(fields=["person", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="authorisation_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"authorisation #{self.pk} of company #{self.company_id}"
