"""The data-access log for auditors: filters, pagination, and no ID number in any URL."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from tests.factories import OfficerFactory, PersonFactory, make_id_number
from tests.office.conftest import sign_in_verified
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import DataAccess

pytestmark = pytest.mark.django_db

LOG = "office:access_log"


def _access(officer, person, when: datetime, purpose: str = "case") -> DataAccess:
    return DataAccess.objects.create(
        accessed_at=when,
        officer_id=officer.pk,
        officer_label=str(officer),
        person_id=person.pk,
        screen="office.person_detail",
        purpose=purpose,
    )


@pytest.fixture
def auditor(officer_client):
    return officer_client("auditor")


def test_auditor_sees_views_recorded_by_the_person_record(auditor, officer_client, client):
    person = PersonFactory()
    clerk = OfficerFactory(role="clerk")
    sign_in_verified(client, clerk).get(
        reverse("office:person_detail", args=[person.pk]), {"purpose": "application V05-7"}
    )
    sign_in_verified(client, auditor.officer)
    response = client.get(reverse(LOG))
    assert response.status_code == 200
    body = response.content.decode()
    assert "application V05-7" in body
    assert str(clerk) in body
    assert person.id_number[:6] + "********" + person.id_number[-4:] in body
    assert person.id_number not in body


def test_pagination_is_fifty_a_page_and_keeps_the_filter(auditor):
    person, other = PersonFactory(), PersonFactory()
    clerk = OfficerFactory(role="clerk")
    start = datetime(2025, 5, 6, 9, 0, tzinfo=OFFICE_TZ)
    for i in range(120):
        _access(clerk, person, start + timedelta(minutes=i), purpose=f"p{i:03d}")
    _access(clerk, other, start, purpose="someone else")
    url = reverse(LOG)

    first = auditor.get(url, {"person": person.pk})
    assert first.context["page"].paginator.count == 120
    assert len(first.context["rows"]) == 50
    assert first.context["rows"][0][0].purpose == "p119"  # newest first
    assert f'href="?person={person.pk}&amp;page=2"' in first.content.decode()

    last = auditor.get(url, {"person": person.pk, "page": 3})
    assert [row.purpose for row, _ in last.context["rows"]][-1] == "p000"
    assert len(last.context["rows"]) == 20
    assert auditor.get(url, {"person": person.pk, "page": "x"}).context["page"].number == 1


def test_filter_by_id_number_redirects_to_the_record_id(auditor):
    person, other = PersonFactory(), PersonFactory()
    clerk = OfficerFactory(role="clerk")
    when = datetime(2025, 5, 6, 9, 0, tzinfo=OFFICE_TZ)
    _access(clerk, person, when, purpose="mine")
    _access(clerk, other, when, purpose="theirs")

    response = auditor.post(reverse(LOG), {"id_number": person.id_number.lower()})
    assert response.status_code == 302
    assert person.id_number not in response.url
    assert parse_qs(urlparse(response.url).query) == {"person": [str(person.pk)]}

    page = auditor.get(response.url)
    assert [row.purpose for row, _ in page.context["rows"]] == ["mine"]
    assert page.context["filtered_person"] == person


def test_filter_by_officer_and_date_range_includes_both_days(auditor):
    person = PersonFactory()
    alice, bob = OfficerFactory(role="clerk"), OfficerFactory(role="reviewer")
    for day, officer in ((5, alice), (6, alice), (7, alice), (8, alice), (6, bob)):
        # 23:30 office time is the previous day in UTC: the range must use office days.
        _access(
            officer,
            person,
            datetime(2025, 5, day, 23, 30, tzinfo=OFFICE_TZ),
            purpose=f"{officer.username}-{day}",
        )

    response = auditor.post(
        reverse(LOG), {"officer": alice.pk, "date_from": "2025-05-06", "date_to": "2025-05-07"}
    )
    assert response.status_code == 302
    page = auditor.get(response.url)
    assert [row.purpose for row, _ in page.context["rows"]] == [
        f"{alice.username}-7",
        f"{alice.username}-6",
    ]


def test_bad_filter_lists_every_problem_and_shows_nothing(auditor):
    _access(OfficerFactory(), PersonFactory(), datetime(2025, 5, 6, 9, 0, tzinfo=OFFICE_TZ))
    response = auditor.post(
        reverse(LOG),
        {
            "officer": "999999",
            "id_number": "12345",
            "date_from": "2025-05-08",
            "date_to": "2025-05-07",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"officer", "id_number", "date_to"}
    assert response.context["rows"] == []


def test_unknown_id_number_is_a_clear_error(auditor):
    PersonFactory()
    response = auditor.post(reverse(LOG), {"id_number": make_id_number(987654)})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["id_number"]] == [
        "unknown_person"
    ]


def test_log_page_query_count_is_bounded(auditor, django_assert_max_num_queries):
    clerk = OfficerFactory(role="clerk")
    when = datetime(2025, 5, 6, 9, 0, tzinfo=OFFICE_TZ)
    for _ in range(60):
        _access(clerk, PersonFactory(), when)
    auditor.get(reverse(LOG))  # the office configuration is cached from here on
    # session, user, TOTP device, count, rows, persons, officers for the filter, session save
    with django_assert_max_num_queries(10):
        response = auditor.get(reverse(LOG))
    assert len(response.context["rows"]) == 50


def test_a_filter_that_matches_nothing_says_so(auditor):
    """An empty page of results is still a page: the results heading and the empty sentence
    show (the layout tested the page's truth, and an empty page is false, so nothing did)."""
    nobody = PersonFactory()
    response = auditor.get(reverse(LOG), {"person": nobody.pk}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert 'id="results-title"' in body
    assert "No views match the filter." in body


def test_chinese_names_and_purposes_are_marked_on_the_english_log(auditor):
    person = PersonFactory(name="王小明")
    clerk = OfficerFactory(role="clerk")
    _access(clerk, person, datetime(2025, 5, 6, 9, 0, tzinfo=OFFICE_TZ), purpose="业务核查")
    body = auditor.get(reverse(LOG), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="zh-Hans">业务核查</span>' in body
    assert '<span lang="zh-Hans">王*' in body
