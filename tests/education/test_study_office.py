"""The officers' full-score study pages (R163 Arts 19, 26(5), 31): a clerk records on-site days
(once a date, more than three hours), a supervisor records falsified study; citizens and
editors see nothing; every view of a person's page is in the data-access log."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.education.helpers import driver
from tests.factories import CitizenFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.core.models import DataAccess, Event
from vmo.education import services
from vmo.education.models import (
    CheatingFinding,
    Course,
    Enrolment,
    FullScoreStudy,
    OnsiteStudyDay,
    PointsReduction,
)
from vmo.registry.choices import PointsKind
from vmo.registry.selectors import points_in_cycle
from vmo.registry.services import points_record

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 12, 10, 0, tzinfo=TZ)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def study(frozen):
    _, licence = driver(12)
    services.full_score_scan()
    study = FullScoreStudy.objects.get(licence=licence)
    study.assigned_at = NOW - timedelta(days=3)
    study.save()
    return study


def _day(day: str, site: str = "昌吉市车管所", starts: str = "09:00", ends: str = "12:30"):
    return {"day-day": day, "day-site": site, "day-starts_at": starts, "day-ends_at": ends}


def _page(study):
    return reverse(
        "education_office:full_score_person", kwargs={"person_id": study.licence.holder_id}
    )


def test_citizens_and_editors_are_refused(client, study):
    client.force_login(CitizenFactory())
    assert client.get(_page(study)).status_code in (302, 403)
    sign_in_verified(client, OfficerFactory(role="editor"))
    assert client.get(reverse("education_office:full_score_list")).status_code == 403
    assert client.get(_page(study)).status_code == 403


def test_clerk_records_a_day_once_r163_art_19(client, study):
    clerk = OfficerFactory(role="clerk")
    sign_in_verified(client, clerk)
    listing = client.get(reverse("education_office:full_score_list")).content.decode()
    assert _page(study) in listing
    page = client.get(_page(study)).content.decode()
    assert "Record a day on site" in page and "Record falsified" not in page
    assert DataAccess.objects.filter(
        officer_id=clerk.pk, person_id=study.licence.holder_id, screen="education.full_score"
    ).exists()
    url = reverse("education_office:onsite_record", kwargs={"person_id": study.licence.holder_id})
    response = client.post(url, _day("2025-09-11"))
    assert response.status_code == 302
    day = OnsiteStudyDay.objects.get(study=study)
    assert (str(day.day), day.site, day.recorded_by_id) == ("2025-09-11", "昌吉市车管所", clerk.pk)
    # The same date again, at another site: refused, named in the error summary.
    response = client.post(url, _day("2025-09-11", site="阜康市学习点"))
    body = response.content.decode()
    assert response.status_code == 422 and "error-summary" in body and "counts once" in body
    # Three hours exactly: not a day (more than three continuous hours).
    response = client.post(url, _day("2025-09-12", ends="12:00"))
    assert response.status_code == 422 and "Art 19" in response.content.decode()
    assert OnsiteStudyDay.objects.filter(study=study).count() == 1
    assert Event.objects.filter(action="full_score.onsite_day", actor_id=clerk.pk).count() == 1
    page = client.get(_page(study)).content.decode()
    assert "2025-09-11" in page and "昌吉市车管所" in page
    # A clerk may not record a finding.
    finding = reverse(
        "education_office:full_score_finding", kwargs={"person_id": study.licence.holder_id}
    )
    response = client.post(finding, {"fs-kind": "proxy", "fs-reason": "x", "fs-online": "on"})
    assert response.status_code == 403 and not CheatingFinding.objects.exists()


def test_supervisor_voids_a_day_found_falsified_r163_art_31(client, study):
    supervisor = OfficerFactory(role="supervisor")
    sign_in_verified(client, supervisor)
    person_id = study.licence.holder_id
    client.post(
        reverse("education_office:onsite_record", kwargs={"person_id": person_id}),
        _day("2025-09-10"),
    )
    day = OnsiteStudyDay.objects.get(study=study)
    page = client.get(_page(study)).content.decode()
    assert "Record falsified full-score study" in page
    url = reverse("education_office:full_score_finding", kwargs={"person_id": person_id})
    response = client.post(url, {"fs-kind": "proxy", "fs-reason": ""})
    assert response.status_code == 422 and "error-summary" in response.content.decode()
    response = client.post(
        url, {"fs-kind": "proxy", "fs-reason": "他人代为签到", "fs-onsite_days": [day.pk]}
    )
    assert response.status_code == 302
    day.refresh_from_db()
    finding = CheatingFinding.objects.get()
    assert day.finding_id == finding.pk and str(finding.bar_ends_on) == "2028-05-31"
    page = client.get(_page(study)).content.decode()
    assert "void: falsified" in page and "2028-05-31" in page


def test_supervisor_revokes_a_reduction_r163_art_31(client, frozen):
    user, licence = driver(3)
    course = Course.objects.create(
        code="reduce", title_zh="学法减分", title_en="Reduce", purpose="e01"
    )
    enrolment = Enrolment.objects.create(
        person=user.person,
        course=course,
        purpose="e01",
        status="completed",
        started_at=NOW - timedelta(hours=2),
        completed_at=NOW - timedelta(hours=1),
    )
    entry = points_record(
        licence=licence,
        actor=None,
        points=-1,
        kind=PointsKind.REDUCTION,
        occurred_on=NOW.date(),
        source_type="education:E01",
        source_id=str(enrolment.pk),
    )
    PointsReduction.objects.create(
        licence=licence,
        enrolment=enrolment,
        cycle_start=entry.cycle_start,
        points=1,
        entry=entry,
        granted_at=NOW,
    )
    assert points_in_cycle(licence) == 2
    sign_in_verified(client, OfficerFactory(role="supervisor"))
    url = reverse(
        "education_office:reduction_finding",
        kwargs={"person_id": user.person.pk, "enrolment_id": enrolment.pk},
    )
    response = client.post(
        url, {f"e{enrolment.pk}-kind": "proxy", f"e{enrolment.pk}-reason": "代学"}
    )
    assert response.status_code == 302
    assert points_in_cycle(licence) == 3
    page = client.get(
        reverse("education_office:full_score_person", kwargs={"person_id": user.person.pk})
    ).content.decode()
    assert "revoked" in page and "Revoke the reduction" not in page


def test_the_person_page_links_to_the_study_for_who_may_record(client, study):
    person_url = (
        reverse("office:person_detail", args=[study.licence.holder_id]) + "?purpose=full-score"
    )
    sign_in_verified(client, OfficerFactory(role="clerk"))
    assert _page(study) in client.get(person_url).content.decode()
    sign_in_verified(client, OfficerFactory(role="auditor"))
    assert _page(study) not in client.get(person_url).content.decode()
