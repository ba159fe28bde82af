"""The generated city: records in proportion, heavy-tailed, handled as the services handle
them, and usable by the product's pages."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, F, Max

from vmo.accounts.models import User
from vmo.applications.choices import FINISHED, OPEN
from vmo.applications.models import Application
from vmo.core import clock
from vmo.demo.generate import generate
from vmo.demo.records import _cycle_start
from vmo.notices.models import Message
from vmo.payments.models import PaymentOrder
from vmo.registry import rules
from vmo.registry.models import DriverLicence, Person, PointsEntry, Vehicle
from vmo.violations.choices import DECISION_SUBJECT, HandlingStatus, PaymentStatus
from vmo.violations.models import DecisionCounter, PenaltyDecision, Violation

pytestmark = pytest.mark.django_db

PEOPLE = 800


@pytest.fixture
def city():  # noqa: ANN201
    return generate(people=PEOPLE, batch=400, progress=lambda _line: None)


def test_counts_are_in_proportion(city):
    people = Person.objects.count()
    assert people == PEOPLE == city.people
    violations = Violation.objects.count()
    assert 3 * people <= violations <= 8 * people
    assert city.violations == violations
    accounts = User.objects.filter(person__isnull=False).count()
    assert 0.4 * people <= accounts <= 0.8 * people
    # A few messages per driver with an account, one order per fine paid online.
    assert 0.5 * accounts <= Message.objects.count() <= 10 * accounts
    assert PaymentOrder.objects.count() == city.payments > 0
    applications = Application.objects.count()
    assert 0.03 * accounts <= applications <= 0.3 * accounts
    assert Application.objects.values("business_code").distinct().count() >= 3
    assert Application.objects.filter(status__in=OPEN).exists()
    assert Application.objects.filter(status__in=FINISHED).count() > applications / 2


def test_violations_per_vehicle_are_heavy_tailed(city):
    per_vehicle = Counter(
        Violation.objects.values_list("vehicle_id", flat=True).order_by().iterator()
    )
    counts = [per_vehicle.get(pk, 0) for pk in Vehicle.objects.values_list("pk", flat=True)]
    few = sum(1 for n in counts if n <= 3)
    assert few > len(counts) / 3  # most have a few or none...
    assert max(counts) >= 24  # ...and some have dozens
    five_years = clock.now() - timedelta(days=5 * 365 + 2)
    assert not Violation.objects.filter(occurred_at__lt=five_years).exists()


def test_a_handled_record_is_what_handling_leaves(city):
    handled = Violation.objects.filter(handling_status=HandlingStatus.HANDLED)
    assert handled.count() == PenaltyDecision.objects.count() > 0
    assert not handled.filter(decision__isnull=True).exists()
    # Intake refuses an unhandled record older than two years.
    two_years = clock.now() - timedelta(days=731)
    unhandled = Violation.objects.filter(handling_status=HandlingStatus.UNHANDLED)
    assert unhandled.exists() and not unhandled.filter(occurred_at__lt=two_years).exists()
    decisions = PenaltyDecision.objects.select_related("violation__vehicle", "licence")
    for decision in decisions.order_by("?")[:80]:
        violation = decision.violation
        assert decision.licence.holder_id == violation.vehicle.owner_person_id
        assert decision.points == violation.points and decision.fine_fen == violation.fine_fen
        assert violation.occurred_at < decision.decided_at <= clock.now()
        assert decision.payment_due > clock.local(decision.decided_at).date()
        if decision.paid_at:
            assert violation.payment_status == PaymentStatus.PAID
            assert decision.paid_fen == decision.fine_fen
        else:
            assert violation.payment_status == PaymentStatus.UNPAID
        decision.full_clean()
    # The points of a decision, once, in the cycle of the violation.
    with_points = PenaltyDecision.objects.filter(points__gt=0)
    assert PointsEntry.objects.filter(kind="violation").count() == with_points.count()
    # Decision numbers were taken from the year's counter: a later decision cannot repeat one.
    for year, top in (
        PenaltyDecision.objects.values_list("decided_at__year")
        .annotate(n=Count("id"))
        .values_list("decided_at__year", "n")
    ):
        assert DecisionCounter.objects.get(year=year).last >= top


def test_each_order_pays_one_decision_of_its_payer(city):
    orders = PaymentOrder.objects.all()
    assert not orders.values("subject_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    for order in orders.order_by("?")[:60]:
        decision = PenaltyDecision.objects.get(pk=int(order.subject_id))
        assert order.subject_type == DECISION_SUBJECT and order.is_settled
        assert decision.paid_at == order.paid_at and order.paid_amount_fen == decision.paid_fen
        assert order.payer.person_id == decision.licence.holder_id
        assert decision.number in order.description
        order.full_clean()
    # Only fines paid through the app have an order; the rest were paid at a bank.
    paid = PenaltyDecision.objects.filter(paid_at__isnull=False).count()
    assert 0 < orders.count() <= paid


def test_messages_and_accounts_are_stored_as_the_models_store_them(city):
    for message in Message.objects.order_by("?")[:40]:
        message.full_clean()
        assert message.body and message.user.person_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, context FROM notices_message")
        raw = cursor.fetchall()
    assert raw and all("$" in body and "新B" not in body for body, _context in raw)
    for user in User.objects.filter(person__isnull=False)[:40]:
        user.full_clean(exclude=["password"])
        assert not user.has_usable_password() and user.username == f"c{user.person_id}"
    for application in Application.objects.all()[:40]:
        application.full_clean()
        assert application.licence.holder_id == application.person_id
        assert application.applicant.person_id == application.person_id


def test_a_generated_citizens_pages_render(city, client):
    holder = (
        DriverLicence.objects.filter(
            holder__account__isnull=False, holder__vehicles__violations__isnull=False
        )
        .annotate(n=Count("holder__vehicles__violations"))
        .order_by("-n")
        .first()
    )
    assert holder is not None
    user = holder.holder.account
    client.force_login(user)
    for path in ("/me/", "/violations/", "/applications/", "/me/messages/"):
        response = client.get(path)
        assert response.status_code == 200, path
    violation = Violation.objects.filter(vehicle__owner_person=holder.holder).first()
    assert client.get(f"/violations/{violation.pk}/").status_code == 200
    order = PaymentOrder.objects.filter(payer=user).first()
    if order is not None:
        assert client.get(f"/payments/orders/{order.reference}/").status_code == 200
    applicant = Application.objects.values_list("applicant", "reference").first()
    if applicant:
        client.force_login(User.objects.get(pk=applicant[0]))
        assert client.get(f"/applications/{applicant[1]}/").status_code == 200


def test_a_second_run_adds_people_without_collisions(city):
    again = generate(people=300, seed=9, batch=300, progress=lambda _line: None)
    assert Person.objects.count() == PEOPLE + 300 == city.people + again.people
    for model, field in (
        (Violation, "record_id"),
        (PenaltyDecision, "number"),
        (PaymentOrder, "reference"),
        (User, "username"),
        (Application, "reference"),
    ):
        assert not model.objects.values(field).annotate(n=Count("id")).filter(n__gt=1).exists()
    assert Message.objects.aggregate(top=Max("id"))["top"] is not None
    assert not PenaltyDecision.objects.filter(paid_fen__gt=F("fine_fen")).exists()


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in found.items() if info["index"]}


def test_indexes_set_aside_during_the_load_are_all_back():
    tables = ("violations_violation", "violations_penaltydecision", "notices_message")
    before = {table: _indexes(table) for table in tables}
    generate(people=60, batch=30, progress=lambda _line: None, defer_indexes=True)
    assert {table: _indexes(table) for table in tables} == before
    assert Violation.objects.exists()


def test_the_cached_cycle_start_is_the_rules_one():
    rng = random.Random(3)
    for _ in range(3000):
        issue = date(1990, 1, 1) + timedelta(days=rng.randrange(13000))
        on = issue + timedelta(days=rng.randrange(9000))
        assert _cycle_start(issue, on) == rules.cycle_start(issue, on)
    assert _cycle_start(date(2020, 2, 29), date(2025, 2, 28)) == rules.cycle_start(
        date(2020, 2, 29), date(2025, 2, 28)
    )
