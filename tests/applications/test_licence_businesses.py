"""Each licence business: its conditions at their edges and its effect on the records."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import LicenceFactory
from vmo.registry import services as registry
from vmo.registry.models import DriverLicence

from .helpers import problems, run

pytestmark = pytest.mark.django_db


def licence(user, **kwargs) -> DriverLicence:
    defaults = {
        "holder": user.person,
        "valid_from": date(2020, 12, 24),
        "valid_to": date(2026, 12, 24),
        "first_issue_date": date(2014, 12, 24),
    }
    lic = LicenceFactory(**{**defaults, **kwargs})
    user.person.refresh_from_db()
    return lic


@pytest.mark.parametrize(
    ("valid_to", "eligible"),
    [
        (date(2027, 2, 22), True),  # exactly 90 days ahead
        (date(2027, 2, 23), False),  # 91 days ahead
        (date(2025, 11, 24), True),  # expired a year ago today
        (date(2025, 11, 23), False),  # more than a year past expiry
    ],
)
def test_renewal_window(citizen, clerk, reviewer, valid_to, eligible):
    licence(citizen, valid_to=valid_to, valid_from=date(valid_to.year - 6, 1, 1))
    app = run(citizen, "D02", clerk, reviewer)
    assert (app.status == "completed") is eligible
    assert ("condition:renewal_window" in problems(app)) is not eligible


@pytest.mark.parametrize("cleared", [False, True])
def test_renewal_after_a_full_score_cycle_keeps_the_term(citizen, clerk, reviewer, cleared):
    """R162 Art 62: a cycle that reached 12 points keeps the term, even after the full-score
    exam cleared the points (R163 Art 23)."""
    lic = licence(citizen)
    for n, (points, kind) in enumerate([(12, "violation"), (-12, "cleared")][: 1 + cleared]):
        registry.points_record(
            licence=lic,
            actor=None,
            points=points,
            kind=kind,
            occurred_on=date(2023, 3, 1),
            source_type="test",
            source_id=str(n),
        )
    run(citizen, "D02", clerk, reviewer)
    lic.refresh_from_db()
    assert lic.valid_to == date(2032, 12, 24)  # six years again


def test_ten_year_licence_renews_to_long_term(citizen, clerk, reviewer):
    lic = licence(citizen, valid_from=date(2016, 12, 24), valid_to=date(2026, 12, 24))
    run(citizen, "D02", clerk, reviewer)
    lic.refresh_from_db()
    assert lic.valid_to is None


def test_no_licence_business_while_revoked(citizen, clerk, reviewer):
    lic = licence(citizen)
    registry.licence_set_flags(licence=lic, actor=None, add="F", reason="revoked")
    for code in ("D01", "D02", "D03"):
        app = run(
            citizen,
            code,
            clerk,
            reviewer,
            data={"loss_reason": "lost", "exchange_reason": "damaged"},
        )
        assert "condition:licence_alive" in problems(app), code


def test_replacement_refused_while_seized(citizen, clerk, reviewer):
    lic = licence(citizen)
    registry.licence_set_flags(licence=lic, actor=None, add="K", reason="seized")
    app = run(citizen, "D01", clerk, reviewer, data={"loss_reason": "lost"})
    assert problems(app) == {"condition:not_seized"}


def test_replacement_reissues_the_card(citizen, clerk, reviewer):
    lic = licence(citizen)
    app = run(citizen, "D01", clerk, reviewer, data={"loss_reason": "stolen"})
    assert app.status == "completed"
    from vmo.core.selectors import events_for

    assert events_for(lic).filter(action="licence.reissue").exists()
    assert app.delivery.method == "pickup"


@pytest.mark.parametrize(("until", "ok"), [(date(2029, 12, 24), True), (date(2029, 12, 25), False)])
def test_renewal_deferral_at_most_three_years(citizen, clerk, reviewer, until, ok):
    lic = licence(citizen)
    app = run(
        citizen,
        "D04",
        clerk,
        reviewer,
        data={"deferral_reason": "abroad", "defer_until": until.isoformat()},
    )
    assert (app.status == "completed") is ok
    lic.refresh_from_db()
    assert ("N" in lic.status) is ok


def test_verification_deferral_moves_the_due_date(citizen, clerk, reviewer):
    lic = licence(citizen, classes="A1", verification_due=date(2027, 1, 15))
    run(
        citizen,
        "D05",
        clerk,
        reviewer,
        data={"deferral_reason": "military", "defer_until": "2028-01-15"},
    )
    lic.refresh_from_db()
    assert lic.verification_due == date(2028, 1, 15) and "T" in lic.status


def test_verification_deferral_needs_a_verification_due(citizen, clerk, reviewer):
    licence(citizen)
    app = run(
        citizen,
        "D05",
        clerk,
        reviewer,
        data={"deferral_reason": "military", "defer_until": "2028-01-15"},
    )
    assert "condition:verification_required" in problems(app)


def test_physical_proof_sets_the_next_due_date(citizen, clerk, reviewer):
    lic = licence(citizen, physical_due=date(2026, 12, 31))
    run(citizen, "D06", clerk, reviewer)
    lic.refresh_from_db()
    assert lic.physical_due == date(2027, 12, 31)


def test_physical_proof_not_required_for_everyone(citizen, clerk, reviewer):
    licence(citizen)
    app = run(citizen, "D06", clerk, reviewer)
    assert "condition:physical_required" in problems(app)


def test_physical_proof_deferral(citizen, clerk, reviewer):
    lic = licence(citizen, physical_due=date(2026, 12, 31))
    run(
        citizen,
        "D07",
        clerk,
        reviewer,
        data={"deferral_reason": "illness", "defer_until": "2027-06-30"},
    )
    lic.refresh_from_db()
    assert lic.physical_due == date(2027, 6, 30) and "P" in lic.status


def test_contact_change_completes_automatically(citizen, clerk, reviewer):
    licence(citizen)
    app = run(
        citizen, "D09", clerk, reviewer, data={"phone": "13912345678", "address": "昌吉市新地址"}
    )
    assert app.status == "completed" and app.checked_by is None
    citizen.person.refresh_from_db()
    assert citizen.person.phone == "13912345678"


def test_cancellation_at_the_holders_request(citizen, clerk, reviewer):
    lic = licence(citizen)
    run(citizen, "D10", clerk, reviewer, data={"confirm": "yes"})
    lic.refresh_from_db()
    assert "G" in lic.status


def test_every_wrong_field_is_listed(citizen, clerk, reviewer):
    from django.core.exceptions import ValidationError

    from vmo.applications import services

    from .conftest import start

    licence(citizen)
    app = start(citizen, "D04")
    with pytest.raises(ValidationError) as caught:
        services.application_update(
            actor=citizen,
            application=app,
            data={"deferral_reason": "holiday", "defer_until": "next year"},
        )
    assert set(caught.value.message_dict) == {"deferral_reason", "defer_until"}


def test_renewal_after_expiry_starts_on_the_day_of_renewal(citizen, clerk, reviewer):
    lic = licence(citizen, valid_from=date(2019, 12, 1), valid_to=date(2025, 12, 1))
    run(citizen, "D02", clerk, reviewer)
    lic.refresh_from_db()
    assert lic.valid_from == date(2026, 11, 24)
    assert lic.valid_to == date(2036, 11, 23)
