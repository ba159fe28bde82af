"""Targeted warnings (set-based rules, sent once) and regional warnings (review by another
editor, by ID region, bounded per warning and per person per day)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.education.helpers import driver
from tests.factories import CitizenFactory, OfficerFactory, PersonFactory, VehicleFactory
from tests.violations.online_factories import codes_ensure
from vmo.education import selectors, services
from vmo.education.models import WarningHit
from vmo.notices.models import Message
from vmo.violations.models import Violation, ViolationCode

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=TZ)


def _violation(vehicle, n, place="延安北路与北京南路交叉口", days_ago=1):
    codes_ensure()
    Violation.objects.create(
        record_id=f"W{vehicle.pk}-{n}",
        vehicle=vehicle,
        plate_number="新B00001",
        code=ViolationCode.objects.get(code="1625"),
        occurred_at=NOW - timedelta(days=days_ago),
        place=place,
        points=6,
        fine_fen=20000,
        recorded_at=NOW,
    )


def test_scan_finds_each_rule_once():
    with time_machine.travel(NOW, tick=False):
        owner = CitizenFactory()
        car = VehicleFactory(owner_person=owner.person)
        for n in range(3):
            _violation(car, n)
        VehicleFactory(owner_person=owner.person, inspection_valid_until=date(2025, 1, 31))
        points_user, _ = driver(9)
        expired = CitizenFactory()
        from tests.factories import LicenceFactory

        LicenceFactory(holder=expired.person, valid_to=date(2025, 1, 1))
        quiet_user, _ = driver(8)
        counts = services.warnings_scan()
        assert counts == {
            "vehicle_unhandled": 1,
            "driver_points": 1,
            "inspection_overdue": 1,
            "licence_overdue": 1,
            "same_place": 1,
        }
        assert services.warnings_scan() == {}
        call_command("warnings_scan")  # the command: nothing new either
        assert WarningHit.objects.count() == 5
        assert not Message.objects.filter(user=quiet_user).exists()
        kinds = set(Message.objects.filter(user=owner).values_list("kind", flat=True))
        assert kinds == {
            "warnings.vehicle_unhandled",
            "warnings.inspection_overdue",
            "warnings.same_place",
        }
        message = Message.objects.get(user=owner, kind="warnings.vehicle_unhandled")
        assert message.link == "/violations/" and "3" in message.subject
        items = selectors.warnings_for(owner.person)
        assert len(items) == 3 and all(item.link for item in items)


def test_thresholds_at_their_edges():
    with time_machine.travel(NOW, tick=False):
        owner = CitizenFactory()
        car = VehicleFactory(owner_person=owner.person)
        _violation(car, 1, place="A")
        _violation(car, 2, place="B")
        # 89 days overdue is not yet "long overdue" (90).
        VehicleFactory(
            owner_person=owner.person, inspection_valid_until=NOW.date() - timedelta(days=90)
        )
        driver(12)  # full score is not a near-full warning
        assert services.warnings_scan() == {}


def _warning(author, **overrides):
    data = {
        "kind": "weather",
        "title_zh": "大风预警",
        "title_en": "Gale warning",
        "body_zh": "明日有八级大风。",
        "body_en": "Gale tomorrow.",
        "action_zh": "减速慢行。",
        "action_en": "Slow down.",
        "regions": "652301",
        "starts_on": date(2025, 9, 10),
        "ends_on": date(2025, 9, 12),
        "recipient_cap": 2,
    }
    data.update(overrides)
    return services.regional_warning_create(actor=author, **data)


_SERIAL = iter(range(100, 999))


def _citizen_in(region: str):
    from vmo.registry import validators

    first17 = f"{region}19800101{next(_SERIAL):03d}"
    id_number = first17 + validators.id_check_char(first17)
    return CitizenFactory(person=PersonFactory(id_number=id_number))


def test_regional_warning_review_cap_and_region():
    with time_machine.travel(NOW, tick=False):
        author, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
        warning = _warning(author)
        services.regional_warning_submit(warning=warning, actor=author)
        with pytest.raises(ValidationError):
            services.regional_warning_publish(warning=warning, actor=author)
        services.regional_warning_publish(warning=warning, actor=reviewer)
        inside = [_citizen_in("652301") for _ in range(3)]
        outside = _citizen_in("652323")
        assert services.regional_warning_send(warning_id=warning.pk) == 2  # the cap
        assert services.regional_warning_send(warning_id=warning.pk) == 0
        got = Message.objects.filter(kind="warnings.regional", channel="inapp")
        assert got.count() == 2 and not got.filter(user=outside).exists()
        assert {m.user_id for m in got} <= {u.pk for u in inside}
        assert selectors.warnings_for(inside[0].person)[0].action == "减速慢行。"


def test_regional_warning_per_person_per_day(settings):
    settings.VMO_REGIONAL_WARNINGS_PER_PERSON_DAY = 1
    with time_machine.travel(NOW, tick=False):
        author, reviewer = OfficerFactory(role="editor"), OfficerFactory(role="editor")
        person = _citizen_in("652301")
        sent = []
        for title in ("一", "二"):
            warning = _warning(author, title_zh=title, recipient_cap=100)
            services.regional_warning_submit(warning=warning, actor=author)
            services.regional_warning_publish(warning=warning, actor=reviewer)
            sent.append(services.regional_warning_send(warning_id=warning.pk))
        assert sent == [1, 0]
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert services.regional_warning_send(warning_id=warning.pk) == 1
        assert (
            Message.objects.filter(user=person, kind="warnings.regional", channel="inapp").count()
            == 2
        )


def test_regional_warning_bad_input_lists_every_problem():
    author = OfficerFactory(role="editor")
    with pytest.raises(ValidationError) as caught:
        _warning(author, regions="abc 1", starts_on=date(2025, 9, 12), ends_on=date(2025, 9, 10))
    assert set(caught.value.message_dict) == {"regions", "ends_on"}


def test_an_editor_who_submitted_a_regional_warning_cannot_publish_it():
    """The submitter is in the warning's history: another editor must review it (issue 11: the
    service used to refuse only the author, so a submitting editor could publish)."""
    with time_machine.travel(NOW, tick=False):
        author, submitter, reviewer = (OfficerFactory(role="editor") for _ in range(3))
        warning = _warning(author)
        services.regional_warning_submit(warning=warning, actor=submitter)
        with pytest.raises(ValidationError) as refused:
            services.regional_warning_publish(warning=warning, actor=submitter)
        assert [problem.code for problem in refused.value.error_list] == ["own_work"]
        warning.refresh_from_db()
        assert warning.status == "review" and warning.reviewed_by is None
        assert services.regional_warning_publish(warning=warning, actor=reviewer).status == (
            "published"
        )


def test_after_a_sale_the_sellers_unhandled_records_warn_the_seller_not_the_buyer():
    """The records are the seller's (the owner at the time of the offence, RTSL Art 114), so
    the monthly warnings about them (three unhandled, twice at one place) reach the seller;
    the buyer, who does not see them, is not warned of them."""
    from vmo.registry.services import vehicle_transfer

    with time_machine.travel(NOW, tick=False):
        seller, buyer = CitizenFactory(), CitizenFactory()
        car = VehicleFactory(owner_person=seller.person)
        for n in range(3):
            _violation(car, n)
        Violation.objects.filter(vehicle=car).update(owner_person=seller.person)
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=NOW.date()
        )
        counts = services.warnings_scan()
        assert counts["vehicle_unhandled"] == 1 and counts["same_place"] == 1
        told = set(Message.objects.filter(user=seller).values_list("kind", flat=True))
        assert told >= {"warnings.vehicle_unhandled", "warnings.same_place"}
        assert not Message.objects.filter(user=buyer, kind__startswith="warnings.").exists()
