"""The list filters with a date range (the access log, the violation search) share one rule:
either day may be left out, the end not before the start, and the days go into page links."""

from __future__ import annotations

import pytest
from django.utils import translation

from vmo.office.forms import AccessLogFilterForm
from vmo.violations.office_forms import ViolationSearchForm

pytestmark = pytest.mark.django_db
FORMS = [AccessLogFilterForm, ViolationSearchForm]


@pytest.mark.parametrize("form_class", FORMS)
def test_an_end_before_the_start_is_refused_beside_the_end(form_class):
    with translation.override("en"):
        form = form_class({"date_from": "2026-02-02", "date_to": "2026-02-01"})
        assert not form.is_valid()
        assert form.errors["date_to"] == ["The end date must not be before the start date."]


@pytest.mark.parametrize("form_class", FORMS)
def test_one_day_alone_or_the_same_day_twice_is_a_range(form_class):
    assert form_class({"date_from": "2026-02-02", "date_to": "2026-02-02"}).is_valid()
    alone = form_class({"date_to": "2026-02-02"})
    assert alone.is_valid()
    assert alone.query() == {"date_to": "2026-02-02"}


def test_the_days_keep_their_place_among_the_fields():
    assert list(ViolationSearchForm().fields)[2:4] == ["date_from", "date_to"]
    assert list(AccessLogFilterForm().fields)[-2:] == ["date_from", "date_to"]
