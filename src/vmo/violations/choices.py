from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HandlingStatus(models.IntegerChoices):
    """National record codes of the traffic-management system."""

    UNHANDLED = 0, _("not handled")
    HANDLED = 1, _("handled")
    TRANSFERRED = 2, _("transferred out")
    NO_ACTION = 9, _("no action needed")
    DELETED = -1, _("deleted")


class PaymentStatus(models.IntegerChoices):
    UNPAID = 0, _("unpaid")
    PAID = 1, _("paid")
    NOT_DUE = 9, _("no payment due")


class Source(models.TextChoices):
    CAMERA = "camera", _("electronic monitoring (camera)")
    ONSITE = "onsite", _("on-site enforcement")


class DecisionChannel(models.TextChoices):
    """Where a penalty decision was made: online by the handler, or by an officer at a counter."""

    ONLINE = "online", pgettext_lazy("decision channel", "online")
    COUNTER = "counter", _("at a counter")


class ProxyKind(models.TextChoices):
    """Why a case is on the anti-proxy list (DOMAIN §4)."""

    DRIVER = "driver", _("one driver handled several vehicles that are not their own")
    VEHICLE = "vehicle", _("several drivers handled one vehicle")


class IntakeChannel(models.TextChoices):
    COMMAND = "command", _("import command")
    API = "api", _("API")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the driver's confirmation")
    CONFIRMED = "confirmed", _("confirmed by the driver")
    DECLINED = "declined", _("declined by the driver")
    EXPIRED = "expired", _("expired")


# PointsEntry.source_type of a violation's points (the demo seed uses it too). Carried entries
# keep it, with the new cycle in the id ("123@2025-06-01"), so a fine can be followed across
# cycles and each carry is written once (the ledger's unique source constraint).
POINTS_SOURCE = "violation"
OTHER_POINTS_SOURCE = "points.cycle"  # the non-violation remainder carried past a full score
# The payment order of a fine: its purpose and the subject it pays (read by the selectors too).
FINE_PURPOSE = "fine"
DECISION_SUBJECT = "violations.penaltydecision"
