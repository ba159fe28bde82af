"""Check codes: every refusal, the limits at their edges, and what a good check writes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from vmo.checks import services
from vmo.checks.models import CheckAttempt, CheckCode, Scope
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import DataAccess, Event
from vmo.notices.models import Message

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 24, 9, 0, tzinfo=OFFICE_TZ)
IP = "203.0.113.7"


@pytest.fixture
def holder():
    user = CitizenFactory()
    LicenceFactory(holder=user.person, file_number="652300123456")
    return user


def _make(holder, **kw):
    args = {"scope": Scope.LICENCE, "lifetime": timedelta(hours=1), "max_uses": 2} | kw
    with time_machine.travel(START, tick=False):
        return services.code_create(user=holder, **args)


def _check(code, tail="123456", at=START, ip=IP):
    with time_machine.travel(at, tick=False):
        return services.code_check(
            code=code, licence_tail=tail, organisation="平安保险", purpose="报价", client_address=ip
        )


def _refused(code, **kw):
    with pytest.raises(services.CheckError) as info:
        _check(code, **kw)
    return info.value


def test_code_is_12_signs_of_31_stored_only_hashed(holder):
    row, code = _make(holder)
    assert len(code) == 12 and set(code) <= set(services.ALPHABET)
    assert len(services.ALPHABET) == 31 and len(set(services.ALPHABET)) == 31
    assert code not in row.code_hash and row.code_hint == code[-3:]
    assert Event.objects.filter(action="checks.created", subject_id=str(row.pk)).count() == 1


def test_good_check_shows_the_scope_logs_it_and_tells_the_holder(holder):
    row, code = _make(holder)
    result = _check(code.lower()[:6] + "-" + code.lower()[6:])  # case and dashes forgiven
    assert result.scope == "licence" and result.licence is not None and result.vehicle is None
    row.refresh_from_db()
    assert row.uses == 1
    access = DataAccess.objects.get(person_id=holder.person.pk)
    assert access.screen == "checks.check" and access.officer_label == "平安保险"
    assert access.purpose == "报价"
    sent = Message.objects.filter(user=holder, kind="checks.code_used")
    assert sorted(sent.values_list("channel", flat=True)) == ["inapp", "sms"]


def test_vehicle_scope_shows_only_that_vehicle_and_needs_own_vehicle(holder):
    mine, other = VehicleFactory(owner_person=holder.person), VehicleFactory()
    with pytest.raises(services.CheckError):
        _make(holder, scope=Scope.VEHICLE, vehicle_id=other.pk)
    _row, code = _make(holder, scope=Scope.VEHICLE, vehicle_id=mine.pk)
    result = _check(code)
    assert result.vehicle.id == mine.pk and result.licence is None


@pytest.mark.parametrize(
    ("kw", "count"),
    [
        ({"lifetime": timedelta(minutes=59, seconds=59)}, 1),
        ({"lifetime": timedelta(days=21, seconds=1)}, 1),
        ({"max_uses": 0}, 1),
        ({"max_uses": 21}, 1),
        ({"scope": "everything", "max_uses": 0}, 2),
    ],
)
def test_create_refuses_out_of_range_and_names_every_problem(holder, kw, count):
    with pytest.raises(services.CheckError) as info:
        _make(holder, **kw)
    assert len(info.value.messages) == count
    assert CheckCode.objects.count() == 0


def test_create_accepts_the_edges(holder):
    _make(holder, lifetime=timedelta(hours=1), max_uses=1)
    _make(holder, lifetime=timedelta(days=21), max_uses=20)
    assert CheckCode.objects.count() == 2


def test_valid_one_second_before_expiry_refused_at_expiry(holder):
    _row, code = _make(holder)
    assert _check(code, at=START + timedelta(hours=1) - timedelta(seconds=1))
    assert _refused(code, at=START + timedelta(hours=1)).code == "refused"


def test_uses_at_the_limit(holder):
    row, code = _make(holder, max_uses=2)
    _check(code)
    _check(code)
    assert _refused(code).code == "refused"
    row.refresh_from_db()
    assert row.uses == 2 and DataAccess.objects.count() == 2


def test_every_refusal_says_the_same_and_changes_only_counters(holder):
    row, code = _make(holder, max_uses=5)
    unknown = _refused("2" * 12)
    wrong = _refused(code, tail="654321")
    services.code_revoke(user=holder, pk=row.pk)
    revoked = _refused(code)
    assert unknown.messages == wrong.messages == revoked.messages
    row.refresh_from_db()
    assert row.uses == 0 and row.failed_attempts == 2
    assert DataAccess.objects.count() == 0 and Message.objects.count() == 0
    reasons = sorted(CheckAttempt.objects.values_list("reason", flat=True))
    assert reasons == ["revoked", "unknown", "wrong_licence"]


def test_code_locks_after_five_wrong_licence_tails_even_from_many_addresses(holder):
    _row, code = _make(holder, max_uses=5)
    for n in range(services.CODE_FAILURES_MAX):
        _refused(code, tail="000000", ip=f"198.51.100.{n}")
    assert _refused(code).code == "refused"  # the right tail no longer helps


def test_address_limit_at_its_edge_and_window(holder):
    _row, code = _make(holder, lifetime=timedelta(days=1), max_uses=5)
    for _ in range(services.ADDRESS_FAILURES_PER_WINDOW - 1):
        _refused("3" * 12)
    assert _check(code)  # the tenth attempt is still tried
    _refused("3" * 12)
    assert _refused(code).code == "throttled"
    assert _refused("3" * 12, ip="198.51.100.9").code == "refused"  # another address is tried
    later = START + services.ADDRESS_WINDOW + timedelta(seconds=1)
    assert _check(code, at=later)


def test_missing_fields_named_and_nothing_counted(holder):
    with time_machine.travel(START, tick=False), pytest.raises(services.CheckError) as info:
        services.code_check(
            code="", licence_tail="12", organisation=" ", purpose="", client_address=IP
        )
    assert len(info.value.messages) == 4 and CheckAttempt.objects.count() == 0


def test_revoke_is_own_codes_only(holder):
    from django.http import Http404

    row, _code = _make(holder)
    with pytest.raises(Http404):
        services.code_revoke(user=CitizenFactory(), pk=row.pk)
    row.refresh_from_db()
    assert row.revoked_at is None
