"""Adding a business is adding its definition and its effect: nothing runs without both."""

from __future__ import annotations

from vmo.applications.effects import EFFECTS
from vmo.catalog.businesses import ALL


def test_every_engine_business_has_an_effect_and_no_effect_is_orphaned():
    engine = {b.code for b in ALL if b.via_engine}
    assert engine == set(EFFECTS)


def test_every_engine_business_states_its_subject_and_conditions_with_a_basis():
    for business in ALL:
        if not business.via_engine:
            continue
        assert business.subject != "none", business.code
        assert business.conditions, business.code
        for condition in business.conditions:
            assert condition.basis.zh.startswith("《"), (business.code, condition.code)
