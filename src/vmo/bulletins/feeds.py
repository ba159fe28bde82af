"""Atom feeds of the current announcements and publications (django.contrib.syndication)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from vmo.core.selectors import office_config

from . import selectors
from .html import plain_text
from .models import Announcement, Publication

FEED_SIZE = 30
SUMMARY_CHARS = 400


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("bulletins:announcement_list")
    subtitle = _("Official announcements of the vehicle management office.")

    def title(self) -> str:
        return f"{office_config().office_name_zh} · {_('Announcements')}"

    def items(self) -> list[Announcement]:
        return list(selectors.announcements_public()[:FEED_SIZE])

    def item_title(self, item: Announcement) -> str:
        return item.title

    def item_description(self, item: Announcement) -> str:
        return plain_text(item.body)[:SUMMARY_CHARS]

    def item_link(self, item: Announcement) -> str:
        return reverse("bulletins:announcement_detail", args=[item.year, item.number])

    def item_pubdate(self, item: Announcement) -> datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Announcement) -> datetime | None:
        return item.updated_at


class PublicationFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("bulletins:publication_list")
    subtitle = _("Figures and lists the office publishes from its records.")

    def title(self) -> str:
        return f"{office_config().office_name_zh} · {_('Publications')}"

    def items(self) -> list[Publication]:
        return list(selectors.publications_public()[:FEED_SIZE])

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return str(
            _("Data as of %(day)s; %(rows)d rows.")
            % {"day": item.data_date, "rows": item.row_count}
        )

    def item_link(self, item: Publication) -> str:
        return reverse("bulletins:publication_detail", args=[item.pk])

    def item_pubdate(self, item: Publication) -> datetime | None:
        return item.published_at
