"""Announcements (公告) and publications (公布). Nothing here is ever deleted: withdrawn and
expired items stay in the archive, and every state change is an event in the history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vmo.core.review import ReviewedContent

from .choices import AnnouncementKind, AnnouncementState, PublicationKind, PublicationState, Source


class Announcement(ReviewedContent):
    """Reviewed as all content is (vmo.core.review: author_ids, reviewed_by)."""

    kind = models.CharField(_("kind"), max_length=24, choices=AnnouncementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # Stored already sanitised (vmo.bulletins.html.sanitise), so every reader can show it as is.
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AnnouncementState.choices,
        default=AnnouncementState.DRAFT,
        db_index=True,
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.EDITOR
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    expire_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The public number 〔year〕 No. n, given at approval; the public link is built from it.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # For drafts generated from the records: the day the lists were taken.
    data_date = models.DateField(_("data date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=Q(number__isnull=False),
                name="announcement_number_once",
            ),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publication",
            ),
        ]
        indexes = [models.Index(fields=["kind", "state", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"〔{self.year}〕{self.number}" if self.number else ""


class AnnouncementItem(models.Model):
    """One record listed in an announcement generated from the records, already masked.

    A record is listed once per kind: the constraint holds while the item is not released (an
    announcement withdrawn before it was ever published releases its records for the next run).
    """

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=24, choices=AnnouncementKind.choices)
    position = models.PositiveIntegerField()
    subject_type = models.CharField(max_length=40)
    subject_id = models.PositiveBigIntegerField()
    cells = models.JSONField(default=list)
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["announcement", "position"]
        indexes = [models.Index(fields=["announcement", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(released=False),
                name="record_announced_once_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}#{self.subject_id}"


class AnnouncementCounter(models.Model):
    """The last announcement number given in a year, taken under a row lock."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Publication(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=PublicationKind.choices)
    # "2025-05-14" for a day, "2025-05" for a month, a date for a table that changes rarely.
    period = models.CharField(_("period"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    data_date = models.DateField(_("data date"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.PUBLISHED,
        db_index=True,
    )
    columns = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=Q(state="published"),
                name="one_current_publication_per_period",
            )
        ]
        indexes = [models.Index(fields=["kind", "state", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def _generated_title(self) -> str:
        return gettext("%(kind)s (%(period)s)") % {
            "kind": str(PublicationKind(self.kind).label),
            "period": self.period,
        }

    @property
    def is_generated_title(self) -> bool:
        # Tables built from the records store the Chinese title made from kind and period;
        # an editor's own title is free text (in Chinese) and is shown as written.
        with translation.override("zh-hans"):
            return not self.title or self.title == self._generated_title()

    @property
    def display_title(self) -> str:
        """The title in the reader's language when it was made from the kind and period."""
        return self._generated_title() if self.is_generated_title else self.title

    @property
    def title_lang(self) -> str:
        return "" if self.is_generated_title else "zh-Hans"


class PublicationRow(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="rows")
    position = models.PositiveIntegerField()
    cells = models.JSONField(default=list)

    class Meta:
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "position"], name="publication_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id}:{self.position}"
