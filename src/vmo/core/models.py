from __future__ import annotations

from datetime import time
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday rule: a holiday, or a working weekend."""

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Statutory dates entered before the State Council published the schedule."),
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class AppendOnlyQuerySet(models.QuerySet["Any"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("history is append-only")


class AppendOnlyModel(models.Model):
    """Rows are written once. PostgreSQL also refuses UPDATE and DELETE by trigger."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("history is append-only")


class Event(AppendOnlyModel):
    """One state change of anything: who, when, what, before and after, why."""

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_label = models.CharField(_("actor"), max_length=120, blank=True)
    # An officer's role code, or "citizen"; "" for the system (and for rows written before it
    # was kept, whose label may carry the role in the actor's language: core.actors reads both).
    actor_role = models.CharField(_("actor role"), max_length=20, blank=True, default="")
    subject_type = models.CharField(_("object type"), max_length=60)
    subject_id = models.CharField(_("object id"), max_length=64)
    action = models.CharField(_("action"), max_length=60)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "occurred_at"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.subject_type}#{self.subject_id} {self.action}"
        )


class DataAccess(AppendOnlyModel):
    """An officer looked at a person's data: kept so the person can see who looked."""

    accessed_at = models.DateTimeField(_("time"), db_index=True)
    officer_id = models.BigIntegerField(_("officer id"))
    officer_label = models.CharField(_("officer"), max_length=120)
    officer_role = models.CharField(_("officer role"), max_length=20, blank=True)
    person_id = models.BigIntegerField(_("person id"), db_index=True)
    screen = models.CharField(_("screen"), max_length=80)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("data access")
        verbose_name_plural = _("data accesses")

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.officer_label} -> person #{self.person_id}"

    @property
    def screen_label(self) -> str:
        """The screen in words, in the reader's language (the row keeps the stable code)."""
        return str(ACCESS_SCREENS.get(self.screen, self.screen))


# Screens that show a person's data to an officer. A new screen adds its name here.
ACCESS_SCREENS = {
    "checks.check": _("check with a code you gave (the checker's declared organisation)"),
    "checks.api": _("check with a code you gave, by an organisation registered with the office"),
    "office.person_detail": _("person record in the officers' workbench"),
    "office.application": _("application file in the officers' workbench"),
    "office.application.full": _(
        "application file in the officers' workbench, personal details shown in full"
    ),
    "api.office": _("officers' API"),
    "office.agent_letter": _("company's letter authorising you as its agent, in the workbench"),
}


class OfficeConfig(models.Model):
    """The office's local configuration: one row, edited by administrators.

    Everything that differs between cities, and every local limit or amount that the law
    leaves to the office (docs/legal-rules.md marks them), lives here and nowhere else.
    """

    office_name_zh = models.CharField(
        _("office name (Chinese)"), max_length=80, default="昌吉州公安局交通警察支队车辆管理所"
    )
    office_name_en = models.CharField(
        _("office name (English)"),
        max_length=120,
        default="Changji Prefecture Vehicle Management Office",
    )
    city_name_zh = models.CharField(_("city (Chinese)"), max_length=40, default="昌吉回族自治州")
    city_name_en = models.CharField(
        _("city (English)"), max_length=80, default="Changji Hui Autonomous Prefecture"
    )
    plate_prefix = models.CharField(_("plate prefix"), max_length=2, default="新B")
    region_codes = models.CharField(
        _("region codes"),
        max_length=200,
        default="652301,652302,652323,652324,652325,652327,652328",
        help_text=_("Six-digit administrative codes of the office's area, comma separated."),
    )
    hall_address_zh = models.CharField(
        _("service hall address (Chinese)"),
        max_length=200,
        default="昌吉市北京南路 车辆管理所业务大厅",
    )
    hall_address_en = models.CharField(
        _("service hall address (English)"),
        max_length=200,
        default="Service hall, Beijing South Road, Changji",
    )
    phone = models.CharField(_("service phone"), max_length=20, default="12123")
    opens_at = models.TimeField(_("hall opens"), default=time(9, 30))
    closes_at = models.TimeField(_("hall closes"), default=time(18, 0))
    # Local limits the law leaves to the office (non-own vehicles, plate selection: docs/legal-rules.md).
    non_own_vehicle_limit = models.PositiveSmallIntegerField(
        _("non-own vehicles per person"), default=3
    )
    non_owner_users_per_vehicle = models.PositiveSmallIntegerField(
        _("non-owner users per vehicle"), default=3
    )
    online_fine_limit_fen = models.PositiveIntegerField(
        _("largest fine handled online (fen)"), default=20000
    )
    # Anti-proxy list (DOMAIN §4, local practice of the platform [U]): within a year, one driver
    # handling this many different vehicles not their own, or this many drivers handling one
    # vehicle, suspends online handling for that driver or vehicle until an officer clears it.
    proxy_vehicles_per_driver = models.PositiveSmallIntegerField(
        _("non-own vehicles one driver may handle in a year before the anti-proxy list"), default=3
    )
    proxy_drivers_per_vehicle = models.PositiveSmallIntegerField(
        _("drivers who may handle one vehicle in a year before the anti-proxy list"), default=3
    )
    nomination_answer_days = models.PositiveSmallIntegerField(
        _("days a named driver has to answer"), default=15
    )
    plate_candidates = models.PositiveSmallIntegerField(
        _("plate numbers offered per draw"), default=50
    )
    plate_attempts = models.PositiveSmallIntegerField(_("plate selection attempts"), default=20)
    plate_redraws = models.PositiveSmallIntegerField(_("plate redraws"), default=5)
    plate_hold_working_days = models.PositiveSmallIntegerField(
        _("working days a chosen number is kept"), default=15
    )
    sms_signature = models.CharField(_("SMS signature"), max_length=20, default="【昌吉车管所】")

    class Meta:
        verbose_name = _("office configuration")
        verbose_name_plural = _("office configuration")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="office_config_singleton")
        ]

    def __str__(self) -> str:
        return self.office_name_zh

    @property
    def region_code_list(self) -> list[str]:
        return [code.strip() for code in self.region_codes.split(",") if code.strip()]
