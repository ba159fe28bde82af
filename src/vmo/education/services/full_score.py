"""E02 full-score study (R163 Arts 17-19, 21): assigned when a licence reaches 12 points,
complete when its online and on-site days meet Art 19, closed when the exam clears the points.
Each refusal names its article."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry_selectors
from vmo.registry.choices import LicenceStatus

from .. import notice_kinds, rules
from ..models import (
    FullScoreStudy,
    OnsiteStudyDay,
    StudyTime,
)
from .effects import account_of

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence, Person


def open_full_score_study(*, person: Person) -> FullScoreStudy | None:
    return FullScoreStudy.objects.filter(licence__holder=person, closed_at__isnull=True).first()


def online_study_dates(*, study: FullScoreStudy) -> set[date]:
    """Days with more than three hours of online study since the assignment (Art 19 para 3),
    none of them before a cheating finding voided the online study (Art 31 para 1)."""
    since = max(study.assigned_at, study.online_void_before or study.assigned_at)
    return set(
        StudyTime.objects.filter(enrolment__full_score_study=study, credited_at__gte=since)
        .values("day")
        .annotate(total=Sum("seconds"))
        .filter(total__gt=rules.STUDY_DAY_SECONDS)
        .values_list("day", flat=True)
    )


def online_study_days(*, study: FullScoreStudy) -> int:
    return len(online_study_dates(study=study))


def onsite_study_dates(*, study: FullScoreStudy) -> set[date]:
    """The on-site days an officer recorded and no finding voided."""
    return set(
        OnsiteStudyDay.objects.filter(study=study, finding__isnull=True).values_list(
            "day", flat=True
        )
    )


def full_score_progress_check(*, study_id: int, actor: User | None = None) -> FullScoreStudy:
    """Mark the study complete when its days meet Art 19 paras 2-3, and not complete again when
    a finding voided days it counted (Art 31 para 1). Both are in the history."""
    with transaction.atomic():
        study = FullScoreStudy.objects.select_for_update().get(pk=study_id)
        online, onsite = online_study_dates(study=study), onsite_study_dates(study=study)
        met = rules.study_days_met(online=online, onsite=onsite, large=study.large_class)
        days = {"online": len(online), "onsite": len(onsite), "counted": len(online | onsite)}
        if met and study.completed_at is None:
            study.completed_at = clock.now()
            study.save(update_fields=["completed_at"])
            event_record(
                actor=actor,
                subject=study,
                action="full_score.study_complete",
                after=days,
                reason="R163 Art 19",
            )
            notify(
                kind=notice_kinds.COMPLETED,
                context={
                    "course": _("Full-score education (study days)"),
                    "date": clock.today().isoformat(),
                    "next": _("You may now book the exam (R163 Art 21)."),
                },
                dedup_key=f"{notice_kinds.COMPLETED}:full_score:{study.pk}",
                user=account_of(person=study.licence.holder),
                link="/learn/",
            )
        elif not met and study.completed_at is not None:
            study.completed_at = None
            study.save(update_fields=["completed_at"])
            event_record(
                actor=actor,
                subject=study,
                action="full_score.study_incomplete",
                after=days,
                reason="R163 Arts 19, 31",
            )
    return study


def full_score_assign(
    *, licence: DriverLicence, actor: User | None = None
) -> FullScoreStudy | None:
    """Assign the study of a full score (Arts 17-18) unless one is open for this licence."""
    today = clock.today()
    with transaction.atomic():
        licence = registry_selectors.licence_for_update(pk=licence.pk)
        if FullScoreStudy.objects.filter(licence=licence, closed_at__isnull=True).exists():
            return None
        points = registry_selectors.points_in_cycle(licence, on=today)
        if points < registry_rules.FULL_SCORE:
            return None
        start = registry_rules.cycle_start(licence.first_issue_date, today)
        occurrence = FullScoreStudy.objects.filter(licence=licence, cycle_start=start).count() + 1
        large = rules.is_large(licence.class_list)
        need = rules.full_score_requirement(occurrence=occurrence, points=points, large=large)
        study = FullScoreStudy.objects.create(
            licence=licence,
            cycle_start=start,
            occurrence=occurrence,
            points=points,
            large_class=large,
            required_days=need.required_days,
            online_days_required=need.online_days_required,
            assigned_at=clock.now(),
        )
        event_record(
            actor=actor,
            subject=study,
            action="full_score.assign",
            after={"occurrence": occurrence, "days": need.required_days, "points": points},
            reason="R163 Arts 17-18",
        )
        notify(
            kind=notice_kinds.FULL_SCORE_ASSIGNED,
            context={
                "points": points,
                "occurrence": occurrence,
                "days": need.required_days,
                "online_days": need.online_days_required,
                "onsite_days": need.onsite_days_required,
            },
            dedup_key=f"{notice_kinds.FULL_SCORE_ASSIGNED}:{study.pk}",
            user=account_of(person=licence.holder),
            link="/learn/",
        )
    return study


def full_score_scan(*, actor: User | None = None) -> dict[str, int]:
    """Open a study for every licence at full score without one; close those whose licence
    left the full score (exam passed and points cleared, Art 23). Set-based: the status letter
    B is derived from the ledger by the registry."""
    closed = 0
    for study in FullScoreStudy.objects.filter(closed_at__isnull=True).exclude(
        registry_selectors.letters_q(LicenceStatus.FULL_SCORE, field="licence__status")
    ):
        FullScoreStudy.objects.filter(pk=study.pk).update(closed_at=clock.now())
        event_record(actor=actor, subject=study, action="full_score.close")
        closed += 1
    opened = 0
    candidates = (
        registry_selectors.licences()
        .filter(registry_selectors.letters_q(LicenceStatus.FULL_SCORE))
        .annotate(open=Count("full_score_studies", filter=Q(full_score_studies__closed_at=None)))
        .filter(open=0)
    )
    for licence in candidates.iterator():
        opened += int(full_score_assign(licence=licence, actor=actor) is not None)
    return {"opened": opened, "closed": closed}
