"""Naming a record's driver is no oracle of who holds a licence (redteam finding): the driver's
name must match the ID number as sign-up matches it, every miss reads the same whichever part
missed, and one account's misses are limited (refused, not let through, without the counters).
A refused replay shows its error summary, and the pending text says who named whom."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client, override_settings
from django.utils import translation

from tests.applications.test_company_agent_rights import fleet  # noqa: F401  (the fixture)
from tests.factories import CitizenFactory, PersonFactory
from tests.faults.servers import closed_port
from tests.violations.online_factories import camera_violation, driver_account, owner_with_vehicle
from vmo.core import cachesafe
from vmo.violations import services
from vmo.violations.models import DriverNomination
from vmo.violations.services.naming import NAMING_MISSES

pytestmark = pytest.mark.django_db


def _refusal(**kwargs: object) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.nomination_create(**kwargs)  # type: ignore[arg-type]
    return exc.value


def test_a_miss_does_not_say_whether_the_id_number_holds_a_licence():
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle)
    driver, _ = driver_account()
    no_licence = CitizenFactory().person
    tries = {
        "a licence holder, wrong name": (driver.person.id_number, "王某某"),
        "no licence, right name": (no_licence.id_number, no_licence.name),
        "nobody on record": (PersonFactory.build().id_number, driver.person.name),
    }
    answers = set()
    for id_number, name in tries.values():
        exc = _refusal(
            violation=violation, actor=owner.user, driver_id_number=id_number, driver_name=name
        )
        answers.add(tuple(sorted((k, tuple(v)) for k, v in exc.message_dict.items())))
    assert len(answers) == 1, answers  # one and the same answer, on no one field
    ((field, messages),) = answers.pop()
    assert field == NON_FIELD_ERRORS and "name and ID number" in messages[0]
    assert not DriverNomination.objects.exists()
    # The right name (spaces as typed are normalised as at sign-up) names them.
    nomination = services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=f" {driver.person.name} ",
    )
    assert nomination.driver_id == driver.person.pk


def test_the_name_is_required_on_the_page_and_the_api(client):
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle)
    driver, _ = driver_account()
    exc = _refusal(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name="",
    )
    assert list(exc.message_dict) == ["driver_name"]
    client.force_login(owner.user)
    api = client.post(
        f"/api/v1/violations/{violation.pk}/handle",
        {"driver_id_number": driver.person.id_number},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code in (401, 422)
    assert not DriverNomination.objects.exists()


def test_misses_are_limited_per_account_and_refused_without_the_counters():
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle)
    driver, _ = driver_account()
    limit, _window = NAMING_MISSES
    for _ in range(limit):
        _refusal(
            violation=violation,
            actor=owner.user,
            driver_id_number=PersonFactory.build().id_number,
            driver_name="王某某",
        )
    # Over the limit even the right name and number are refused, and nothing is looked up.
    exc = _refusal(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    assert "Too many drivers" in " ".join(exc.messages)
    # Another account is not held back by this one's misses.
    other = owner_with_vehicle()
    services.nomination_create(
        violation=camera_violation(other.vehicle),
        actor=other.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    # No counters (a Redis nobody listens on): refused, not let through.
    away = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    third = owner_with_vehicle()
    record = camera_violation(third.vehicle)
    try:
        with override_settings(CACHES=away), pytest.raises(cachesafe.CountersAway):
            services.nomination_create(
                violation=record,
                actor=third.user,
                driver_id_number=driver.person.id_number,
                driver_name=driver.person.name,
            )
    finally:
        cachesafe.reset()
    assert not DriverNomination.objects.filter(nominated_by=third.user).exists()


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_refused_second_nomination_shows_its_error_summary(fleet):  # noqa: F811
    violation, driver = fleet["violation"], fleet["driver"]
    body = {"driver_id_number": driver.person.id_number, "driver_name": driver.person.name}
    agent = _client(fleet["agent"])
    assert agent.post(f"/violations/{violation.pk}/", body).status_code == 302
    replay = _main(agent.post(f"/violations/{violation.pk}/", body))
    assert "error-summary" in replay
    assert "already been named for this record" in replay
    assert DriverNomination.objects.filter(violation=violation).count() == 1


def test_the_pending_text_says_who_named_whom(fleet):  # noqa: F811
    violation, driver, agent = fleet["violation"], fleet["driver"], fleet["agent"]
    services.nomination_create(
        violation=violation,
        actor=agent,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    mine = _main(_client(agent).get(f"/violations/{violation.pk}/"))
    assert "You named" in mine
    legal = _main(_client(fleet["legal"]).get(f"/violations/{violation.pk}/"))
    assert "You named" not in legal
    assert legal.count('<span lang="zh-Hans">') >= 2 and " named <span" in legal
    assert agent.person.name[0] in legal and driver.person.name[0] in legal
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.force_login(fleet["legal"])
    assert "已指定" in _main(zh.get(f"/violations/{violation.pk}/"))
