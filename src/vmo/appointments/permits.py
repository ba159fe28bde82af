"""The learner permit's end (R162 Art 41): valid three years; when it ends without a licence,
the learner's record closes as lapsed and the subjects passed lapse with it, so nothing can be
booked on it (the booking checks refuse a closed record and any exam day after the end)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from vmo.core.services import event_record
from vmo.notices.services import notify

from .choices import LearnerStatus
from .models import Learner

if TYPE_CHECKING:
    from vmo.accounts.models import User

SUBJECTS = ("1", "2", "3", "4")


def learner_permit_lapse(*, learner_id: int, day: date, actor: User | None = None) -> bool:
    """Close one learner whose permit ended before `day`; False if it did not (or is closed)."""
    with transaction.atomic():
        learner = Learner.objects.select_for_update().select_related("person").get(pk=learner_id)
        until = learner.permit_valid_until
        if learner.status != LearnerStatus.ACTIVE or until is None or until >= day:
            return False
        before = {f"subject{s}_passed_on": str(learner.passed_on(s) or "") for s in SUBJECTS}
        for subject in SUBJECTS:
            setattr(learner, f"subject{subject}_passed_on", None)
        learner.status = LearnerStatus.LAPSED
        learner.save()
        event_record(
            actor=actor,
            subject=learner,
            action="appointments.permit_lapsed",
            before={"status": LearnerStatus.ACTIVE, **before},
            after={"status": LearnerStatus.LAPSED},
            reason="R162 Art 41",
        )
        notify(
            kind="appointments.permit_lapsed",
            context={"class": learner.licence_class, "date": until.isoformat()},
            dedup_key=f"appointments.permit_lapsed:{learner.pk}",
            user=getattr(learner.person, "account", None),
            link="/appointments/",
        )
    return True


def learner_permits_lapse(*, day: date, actor: User | None = None) -> int:
    """Every active learner whose permit ended before `day`; safe to run twice."""
    ids = Learner.objects.filter(
        status=LearnerStatus.ACTIVE, permit_valid_until__lt=day
    ).values_list("pk", flat=True)
    return sum(learner_permit_lapse(learner_id=pk, day=day, actor=actor) for pk in list(ids))
