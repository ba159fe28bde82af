"""The status lists follow the registry at once: a status change through the registry's
services (full score, suspension, revocation, a vehicle stolen, a bulk flag) drops the cached
list in the change's transaction and again after its commit, with no one clearing it by hand."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.factories import VehicleFactory
from vmo.core import clock
from vmo.credentials import keys, selectors, services
from vmo.credentials.verify import REVOKED, VALID, verify_text
from vmo.registry import services as registry
from vmo.registry.choices import PointsKind

pytestmark = pytest.mark.django_db(transaction=True)


def _refused(name: str, index: int) -> bool:
    return selectors.bit_set(
        selectors.decode_bits(str(selectors.status_list(name)["encodedList"])), index
    )


def _online(text: str) -> str:
    return verify_text(
        text, keys.public_jwks(), now=clock.now(), revoked=selectors.revoked_online
    ).outcome


def test_full_score_is_refused_online_at_once(holder, frozen):
    user, licence, _car = holder
    text = services.credential_issue_licence(card=selectors.licence_card(user.person))
    assert _online(text) == VALID  # and the list is now cached, computed while normal
    registry.points_record(
        licence=licence,
        actor=None,
        points=12,
        kind=PointsKind.VIOLATION,
        occurred_on=clock.today(),
    )
    licence.refresh_from_db()
    assert "B" in licence.status
    assert _refused("dl", licence.pk) and _online(text) == REVOKED


@pytest.mark.parametrize("letter", ["D", "F"], ids=["suspended", "revoked"])
def test_suspension_and_revocation_are_refused_at_once(holder, frozen, letter):
    _user, licence, _car = holder
    assert not _refused("dl", licence.pk)
    registry.licence_set_flags(licence=licence, actor=None, add=letter, reason="decision")
    assert _refused("dl", licence.pk)
    registry.licence_set_flags(licence=licence, actor=None, remove=letter, reason="lifted")
    assert not _refused("dl", licence.pk)  # and back, as quickly


def test_vehicle_changes_one_by_one_and_in_bulk(holder, frozen):
    _user, _licence, car = holder
    other = VehicleFactory()
    assert not _refused("vl", car.pk) and not _refused("vl", other.pk)
    registry.vehicle_set_flags(vehicle=car, actor=None, add="C", reason="reported stolen")
    assert _refused("vl", car.pk) and not _refused("vl", other.pk)
    registry.vehicles_add_flag_bulk(
        vehicle_ids=[other.pk], letter="K", reason="sealed by court order", subject=other
    )
    assert _refused("vl", other.pk)


def test_a_list_read_during_the_change_is_dropped_after_the_commit(holder, frozen):
    _user, licence, _car = holder
    stale = selectors.status_list("dl")
    with transaction.atomic():
        registry.licence_set_flags(licence=licence, actor=None, add="D", reason="decision")
        # Another request read the old rows before this commit and cached what it read.
        cache.set("credentials:status-list:dl", stale, selectors.STATUS_LIST_SECONDS)
    assert _refused("dl", licence.pk)


def test_other_events_keep_the_cached_list(holder, frozen, django_assert_num_queries):
    user, _licence, _car = holder
    selectors.status_list("dl")
    registry.person_update_contact(person=user.person, actor=None, address="北京南路 1 号")
    with django_assert_num_queries(0):
        selectors.status_list("dl")
