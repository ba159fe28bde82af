from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    GENERAL = "general", _("general safety education")
    E01 = "e01", _("learning to reduce points")
    E02 = "e02", _("full-score education")
    E03 = "e03", _("verification education")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "review", _("awaiting review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class LessonKind(models.TextChoices):
    ARTICLE = "article", _("article")
    VIDEO = "video", _("video")


class BodyFormat(models.TextChoices):
    # Files carry plain text with a minimal markup; editors in the app write HTML (sanitised).
    TEXT = "text", _("plain text with minimal markup")
    HTML = "html", _("sanitised HTML")


class EnrolmentStatus(models.TextChoices):
    STUDYING = "studying", _("studying")
    COMPLETED = "completed", _("completed")
    EXPIRED = "expired", _("expired (study window passed)")


class AttemptKind(models.TextChoices):
    """What an abuse or refused attempt tried to do."""

    SKIP_LESSON = "skip", _("quiz asked for before the lessons were studied")
    TOO_FAST = "too_fast", _("lesson marked done before its minimum time")
    REPLAY = "replay", _("quiz answers sent again or with an unknown nonce")
    REDUCTION_REFUSED = "reduction", _("points reduction refused")
    NOT_ENROLLED = "not_enrolled", _("study of a course not started")
    EXPIRED = "expired", _("study window passed")


class WarningRule(models.TextChoices):
    VEHICLE_UNHANDLED = "vehicle_unhandled", _("several unhandled violations on a vehicle")
    DRIVER_POINTS = "driver_points", _("nine points or more in the cycle")
    INSPECTION_OVERDUE = "inspection_overdue", _("inspection long overdue")
    LICENCE_OVERDUE = "licence_overdue", _("licence renewal long overdue")
    SAME_PLACE = "same_place", _("repeated violations at the same place")


class RegionalKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday travel")
    WEATHER = "weather", _("severe weather")
    CLOSURE = "closure", _("road closure")
    OTHER = "other", _("other")


class CheatingKind(models.TextChoices):
    """What an officer found falsified (R163 Arts 26(5), 31)."""

    PROXY = "proxy", _("study or exam done by someone else")
    RECORD = "record", _("study record falsified")
    EXAM = "exam", _("exam falsified")
