"""Summaries of the regulations the office follows, published for everyone to consult
(R164 Art 3, R162 Art 3: the office publishes the rules online). The businesses themselves are
code (businesses/), not rows: only the editors' texts live in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vmo.core.review import ReviewedContent

from .choices import RegulationState


class RegulationSummary(ReviewedContent):
    """Reviewed as all content is (vmo.core.review: author_ids, reviewed_by)."""

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    issuer_zh = models.CharField(_("issued by (Chinese)"), max_length=100)
    issuer_en = models.CharField(_("issued by (English)"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    effective_on = models.DateField(_("in force from"))
    # Stored already sanitised (catalog.html.sanitise): pages show it as is.
    summary_zh = models.TextField(_("summary (Chinese)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    official_url = models.URLField(_("link to the official text"), max_length=500, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RegulationState.choices,
        default=RegulationState.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-effective_on", "id"]
        verbose_name = _("regulation summary")
        verbose_name_plural = _("regulation summaries")

    def __str__(self) -> str:
        return self.title_zh
