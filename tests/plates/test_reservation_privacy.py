"""Issue 12, finding 10: a reservation for someone else's VIN reveals nothing of theirs."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory
from vmo.plates import services

from .helpers import load_pool, new_vin
from .test_services import NOON

pytestmark = pytest.mark.django_db


@time_machine.travel(NOON, tick=False)
def test_another_applicant_does_not_learn_the_reserved_number(citizen):
    """Finding 10: the refusal named the number the owner had reserved, and until when."""
    load_pool(60)
    draw = services.draw_create(actor=citizen, vin=new_vin(4), model_name="朗逸", plate_type="02")
    reservation = services.reservation_create(actor=citizen, number=draw.candidates[7], draw=draw)
    with pytest.raises(ValidationError) as exc:
        services.draw_create(
            actor=CitizenFactory(), vin=draw.vin, model_name="朗逸", plate_type="02"
        )
    text = " ".join(exc.value.messages)
    assert "vin_has_reservation" in {e.code for e in exc.value.error_dict["vin"]}
    assert reservation.number not in text and reservation.display not in text
    assert reservation.expires_on.isoformat() not in text
