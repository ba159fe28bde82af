"""States of the regulation summaries the office's editors publish."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")
