"""Issue 15: a site has only its Chinese name; on an English page or in an English message it
is marked lang="zh-Hans" (screen readers, and no unmarked Han on English pages), as people's
names and plates are. A Chinese reader reads the same message in Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from vmo.appointments.models import Booking
from vmo.notices.models import Message

from .helpers import TODAY, inspection_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

HAN = re.compile(r"[\u3400-\u9fff]")
MARKED = re.compile(r'<span lang="zh-Hans"[^>]*>[^<]*</span>')


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _unmarked_han(html: str) -> list[str]:
    return HAN.findall(MARKED.sub("", html))


def test_the_booking_message_marks_the_site_for_an_english_reader(client, owner):
    _user, car = owner
    session = inspection_session()
    client.post(f"/appointments/sessions/{session.pk}/book/", {"vehicle": car.pk})
    message = Message.objects.get(kind="appointments.booked", channel="inapp")
    url = reverse("portal_inbox:detail", args=[message.pk])

    english = _main(client.get(url))
    assert "is booked at" in english
    assert f'<span lang="zh-Hans">{session.site.name}</span>' in english
    assert not _unmarked_han(english), _unmarked_han(english)
    listing = _main(client.get(reverse("portal_inbox:list")))
    assert not _unmarked_han(listing), _unmarked_han(listing)

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    chinese = _main(client.get(url))
    assert session.site.name in chinese and "预约" in chinese
    assert "is booked at" not in chinese


def test_the_sessions_to_move_to_mark_their_sites(client, owner):
    _user, car = owner
    first, second = inspection_session(), inspection_session(day=TODAY + timedelta(days=9))
    client.post(f"/appointments/sessions/{first.pk}/book/", {"vehicle": car.pk})
    booking = Booking.objects.get()
    page = _main(client.get(f"/appointments/{booking.pk}/reschedule/"))
    assert f'<span lang="zh-Hans">{second.site.name}</span>' in page
    assert "places left" in page
    assert not _unmarked_han(page), _unmarked_han(page)
