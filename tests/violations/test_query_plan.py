"""A citizen's records are found through indexes, whatever the size of the tables (issue 13).

On a city's tables (20,000 records on 5,000 vehicles, statistics from ANALYZE, the planner's
settings unchanged) PostgreSQL must reach the person's records by index: a sequential scan of
the violations or the vehicles would make /violations/ grow with the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection

from tests.factories import PersonFactory
from tests.violations.online_factories import (
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.registry.models import Vehicle
from vmo.violations import selectors, services
from vmo.violations.models import VehicleBinding, Violation

pytestmark = pytest.mark.django_db

VEHICLES = 5000
RECORDS_PER_VEHICLE = 4


def _copy_sql(
    model: Any, template_id: int, changes: dict[str, str], source: str, where: str = "true"
) -> str:
    """INSERT ... SELECT copying the template row once per row of `source` (with `where`),
    with `changes` per column."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    values = [changes.get(c, f't."{c}"') for c in columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return (
        f'INSERT INTO "{model._meta.db_table}" ({quoted}) SELECT {", ".join(values)}'
        f' FROM "{model._meta.db_table}" t, {source} WHERE t.id = {int(template_id)} AND {where}'
    )


def _city(template_vehicle: Vehicle, template_record: Violation) -> None:
    """Other people's vehicles and records, written by the database itself (seconds, not
    minutes), then ANALYZE so that the planner knows the tables' sizes."""
    others = [PersonFactory().pk for _ in range(10)]
    with connection.cursor() as cursor:
        cursor.execute(
            _copy_sql(
                Vehicle,
                template_vehicle.pk,
                {
                    "vin": "'PLAN' || lpad(g::text, 13, '0')",
                    "owner_person_id": f"(ARRAY{others})[1 + g % {len(others)}]",
                },
                f"generate_series(1, {VEHICLES}) g",
            )
        )
        cursor.execute(
            _copy_sql(
                Violation,
                template_record.pk,
                {
                    "record_id": "'PLAN' || v.id || '-' || n",
                    "vehicle_id": "v.id",
                    "owner_person_id": "v.owner_person_id",
                },
                f'"{Vehicle._meta.db_table}" v, generate_series(1, {RECORDS_PER_VEHICLE}) n',
                where="v.vin LIKE 'PLAN%'",
            )
        )
        cursor.execute("ANALYZE")


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _sequential_scans(queryset: Any) -> list[str]:
    plan = json.loads(queryset.explain(format="json"))[0]["Plan"]
    return [node["Relation Name"] for node in _nodes(plan) if node["Node Type"] == "Seq Scan"]


@pytest.mark.postgresql
def test_a_citizens_records_are_read_by_index_on_a_big_table():
    owner = owner_with_vehicle()
    driver, _licence = driver_account()
    own = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1)))
    # Every path by which a person sees a record: own vehicle, bound vehicle, named driver,
    # decided on their licence.
    other = owner_with_vehicle()
    VehicleBinding.objects.create(
        person=owner.person, vehicle=other.vehicle, bound_at=at(date(2025, 7, 1))
    )
    camera_violation(other.vehicle, occurred_at=at(date(2025, 8, 2)))
    named = camera_violation(other.vehicle, occurred_at=at(date(2025, 8, 3)))
    services.nomination_create(
        violation=named,
        actor=other.user,
        driver_id_number=owner.person.id_number,
        driver_name=owner.person.name,
    )
    decided = camera_violation(other.vehicle, occurred_at=at(date(2025, 8, 4)))
    services.nomination_create(
        violation=decided,
        actor=other.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    _city(owner.vehicle, own)
    assert Violation.objects.count() > VEHICLES * RECORDS_PER_VEHICLE

    visible = selectors.violations_visible_to(owner.person)
    assert set(visible.values_list("pk", flat=True)) >= {own.pk, named.pk}
    big = {Violation._meta.db_table, Vehicle._meta.db_table}
    for queryset in (
        visible.order_by("-occurred_at", "-pk"),
        visible.filter(pk=own.pk),
        selectors.violations_visible_to(driver.person).order_by("-occurred_at"),
    ):
        assert not big & set(_sequential_scans(queryset)), queryset.explain()


def test_the_records_seen_are_the_same_through_every_path():
    """The union finds what the OR found: own, bound after the binding only, named (pending or
    confirmed, not declined), and decided on one's licence."""
    owner = owner_with_vehicle()
    other = owner_with_vehicle()
    VehicleBinding.objects.create(
        person=owner.person, vehicle=other.vehicle, bound_at=at(date(2025, 8, 1))
    )
    camera_violation(other.vehicle, occurred_at=at(date(2025, 7, 1)))  # before the binding
    after = camera_violation(other.vehicle, occurred_at=at(date(2025, 8, 2)))
    own = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 3)))
    ended = owner_with_vehicle()
    binding = VehicleBinding.objects.create(
        person=owner.person, vehicle=ended.vehicle, bound_at=at(date(2025, 7, 1))
    )
    camera_violation(ended.vehicle, occurred_at=at(date(2025, 8, 1)))
    VehicleBinding.objects.filter(pk=binding.pk).update(ended_at=at(date(2025, 8, 5)))
    seen = set(selectors.violations_visible_to(owner.person).values_list("pk", flat=True))
    assert seen == {after.pk, own.pk}
