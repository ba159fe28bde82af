"""The legal effects of study: E01 points reduction (R163 Arts 25-27) and E03 verification study
(R162 Arts 72-73); E02 full-score study is in .full_score. Each refusal names its article."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.registry import rules as registry_rules
from vmo.registry import selectors as registry_selectors
from vmo.registry import services as registry_services
from vmo.registry.choices import LicenceStatus, PointsKind, VehicleStatus
from vmo.violations import selectors as violation_selectors
from vmo.violations.selectors import has_unhandled

from .. import notice_kinds, rules
from ..choices import AttemptKind, EnrolmentStatus, Purpose
from ..models import (
    CheatingFinding,
    Enrolment,
    FullScoreStudy,
    PointsReduction,
    QuizAttempt,
    VerificationStudy,
)
from .quiz import study_seconds
from .study import attempt_log

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence, Person

E01_SOURCE = "education:E01"
# R163 Art 26(2): offences that bar reductions for three cycles. Only drink driving (1712) is in
# the shipped code table; the office adds hit-and-run, fake or borrowed plates/licences and
# points trading codes from its own table [U].
DEFAULT_EXCLUDED_CODES = ("1712",)


def _licence(person: Person) -> DriverLicence | None:
    return registry_selectors.licence_of(person)


def account_of(*, person: Person) -> Any:
    return getattr(person, "account", None)


def _letters(licence: DriverLicence, points: int, today: date) -> set[str]:
    decided = "".join(set(licence.flags) | (set(licence.status) - registry_rules.LICENCE_DERIVED))
    return set(
        registry_rules.licence_status(
            flags=decided,
            points=points,
            valid_to=licence.valid_to,
            verification_due=licence.verification_due,
            renewal_deferred_until=licence.renewal_deferred_until,
            today=today,
        )
    )


def reduced_in_cycle(*, licence: DriverLicence, cycle_start: date) -> int:
    total = PointsReduction.objects.filter(
        licence=licence, cycle_start=cycle_start, revoked_at__isnull=True
    ).aggregate(s=Sum("points"))["s"]
    return int(total or 0)


def e01_problems(*, person: Person, licence: DriverLicence | None = None) -> list[str]:
    """Every reason the office may not accept an E01 application now (R163 Arts 25-26)."""
    licence = licence or _licence(person)
    if licence is None:
        return [_("You have no driving licence on record.")]
    today = clock.today()
    start = registry_rules.cycle_start(licence.first_issue_date, today)
    points = registry_selectors.points_in_cycle(licence, on=today)
    letters = _letters(licence, points, today)
    problems: list[str] = []
    if points >= registry_rules.FULL_SCORE:
        problems.append(
            _("Your points have reached 12: full-score education applies (R163 Arts 17, 25).")
        )
    elif points <= 0:
        problems.append(_("You have no points to reduce in this cycle (R163 Art 25)."))
    if has_unhandled(person) or LicenceStatus.VIOLATIONS_UNHANDLED in letters:
        problems.append(_("Handle all your violation records first (R163 Art 25)."))
    if reduced_in_cycle(licence=licence, cycle_start=start) >= rules.REDUCTION_CAP_PER_CYCLE:
        problems.append(_("Six points have already been reduced in this cycle (R163 Art 25)."))
    previous = rules.previous_cycle_start(licence.first_issue_date, start)
    if (
        FullScoreStudy.objects.filter(licence=licence, cycle_start__gte=previous).count() >= 2
        or registry_selectors.full_scores_since(licence, cycle_start=previous) >= 2
    ):
        problems.append(
            _("Two or more full-score educations in this or the previous cycle (R163 Art 26(1)).")
        )
    three_back = rules.cycles_back(licence.first_issue_date, start, 3)
    codes = getattr(settings, "VMO_E01_EXCLUDED_CODES", DEFAULT_EXCLUDED_CODES)
    if (
        violation_selectors.penalty_decisions()
        .filter(licence=licence, violation__code__code__in=codes, decided_at__date__gte=three_back)
        .exists()
    ):
        problems.append(
            _(
                "A penalty for hit-and-run, drink driving, fake or borrowed plates or licences, "
                "or points trading in the last three cycles (R163 Art 26(2))."
            )
        )
    if licence.probation_until is not None and licence.probation_until >= today:
        problems.append(_("The licence is in its probation period (R163 Art 26(3))."))
    if LicenceStatus.VERIFICATION_OVERDUE in letters:
        problems.append(_("The licence's verification is overdue (R163 Art 26(3))."))
    if letters & rules.BARRING_LETTERS:
        problems.append(
            _("The licence is withheld, suspended or otherwise not valid (R163 Art 26(3)).")
        )
    vehicles = person.vehicles.exclude(
        registry_selectors.letters_q(*registry_selectors.VEHICLE_CANCELLED)
    )
    if vehicles.filter(
        Q(inspection_valid_until__lt=today)
        | Q(scrap_date__lte=today)
        | registry_selectors.letters_q(VehicleStatus.SCRAP_VOID)
    ).exists():
        problems.append(
            _(
                "A vehicle in your name is overdue for inspection or should have been cancelled "
                "(R163 Art 26(4))."
            )
        )
    # The bar's last day is set by the finding: the cycle of the falsified study and two more.
    bar = (
        CheatingFinding.objects.filter(licence=licence, bar_ends_on__gte=today)
        .order_by("-bar_ends_on")
        .first()
    )
    if bar is not None:
        problems.append(
            _(
                "Falsified study on record: no points reduction by study until %(date)s "
                "(R163 Art 26(5))."
            )
            % {"date": bar.bar_ends_on}
        )
    return problems


def reduction_claim(*, enrolment: Enrolment, actor: User | None = None) -> PointsReduction:
    """Grant the reduction of a completed E01 study: once per study, within the cycle's cap.
    A refused claim is logged and raised after the log is committed."""
    from .study import StudyRefused

    person = enrolment.person
    refused: list[str] = []
    reduction = None
    with transaction.atomic():
        licence = registry_selectors.licence_of(person, for_update=True)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.purpose != Purpose.E01 or enrolment.status != EnrolmentStatus.COMPLETED:
            refused.append(_("Only a completed learn-to-reduce-points study reduces points."))
        elif PointsReduction.objects.filter(enrolment=enrolment).exists():
            refused.append(_("This study has already reduced your points."))
        elif licence is None:
            refused.append(_("You have no driving licence on record."))
        else:
            refused += e01_problems(person=person, licence=licence)
            if study_seconds(enrolment=enrolment) < rules.ONLINE_REDUCTION_MINUTES * 60:
                refused.append(_("At least 30 minutes of online study are needed (R163 Art 27)."))
        if not refused:
            assert licence is not None
            reduction = _reduce(licence=licence, enrolment=enrolment, actor=actor)
            if reduction is None:
                refused.append(_("Six points have already been reduced in this cycle."))
        if refused:
            attempt_log(
                person=person,
                kind=AttemptKind.REDUCTION_REFUSED,
                enrolment=enrolment,
                reasons=refused,
            )
    if refused:
        raise StudyRefused(refused)
    assert reduction is not None
    return reduction


def _reduce(
    *, licence: DriverLicence, enrolment: Enrolment, actor: User | None
) -> PointsReduction | None:
    today = clock.today()
    start = registry_rules.cycle_start(licence.first_issue_date, today)
    points_now = registry_selectors.points_in_cycle(licence, on=today)
    already = reduced_in_cycle(licence=licence, cycle_start=start)
    points = rules.reduction_points(points_now=points_now, reduced_in_cycle=already)
    if points <= 0:
        return None
    try:
        with transaction.atomic():
            entry = registry_services.points_record(
                licence=licence,
                actor=actor,
                points=-points,
                kind=PointsKind.REDUCTION,
                occurred_on=today,
                source_type=E01_SOURCE,
                source_id=str(enrolment.pk),
                note=enrolment.course.code,
            )
    except IntegrityError:  # the ledger's one-entry-per-source constraint: a concurrent claim
        return None
    reduction = PointsReduction.objects.create(
        licence=licence,
        enrolment=enrolment,
        cycle_start=start,
        points=points,
        entry=entry,
        granted_at=clock.now(),
    )
    event_record(
        actor=actor,
        subject=reduction,
        action="points.reduce",
        after={"points": points, "cycle_start": start.isoformat(), "enrolment": enrolment.pk},
        reason="R163 Art 27",
    )
    user = account_of(person=enrolment.person)
    notify(
        kind=notice_kinds.POINTS_REDUCED,
        context={
            "course": enrolment.course.title_zh,
            "points": points,
            "cycle_start": start.isoformat(),
            "points_now": points_now - points,
            "reduced": already + points,
        },
        dedup_key=f"{notice_kinds.POINTS_REDUCED}:{enrolment.pk}",
        user=user,
        link="/me/",
    )
    return reduction


# --- Completion -------------------------------------------------------------------------------


def certificate_number(*, enrolment: Enrolment) -> str:
    return f"XF{clock.local(enrolment.completed_at or clock.now()):%Y%m%d}{enrolment.pk:07d}"


def enrolment_complete(*, enrolment: Enrolment, attempt: QuizAttempt) -> list[str]:
    """Called with the passed attempt, inside its transaction. Returns what the effect did."""
    from .study import StudyRefused

    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return []
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = clock.now()
    enrolment.certificate_number = certificate_number(enrolment=enrolment)
    enrolment.save(update_fields=["status", "completed_at", "certificate_number"])
    event_record(
        actor=account_of(person=enrolment.person),
        subject=enrolment,
        action="enrolment.complete",
        after={"score": attempt.score, "certificate": enrolment.certificate_number},
    )
    notify(
        kind=notice_kinds.COMPLETED,
        context={
            "course": enrolment.course.title_zh,
            "date": clock.today().isoformat(),
            "next": "",
        },
        dedup_key=f"{notice_kinds.COMPLETED}:{enrolment.pk}",
        user=account_of(person=enrolment.person),
        link=reverse("education:certificate", args=[enrolment.pk]),
    )
    messages: list[str] = []
    if enrolment.purpose == Purpose.E01:
        try:
            reduction = reduction_claim(
                enrolment=enrolment, actor=account_of(person=enrolment.person)
            )
        except StudyRefused as exc:
            messages += [_("No points were reduced:")] + list(exc.messages)
        else:
            messages.append(
                _("%(points)d point(s) were taken off your licence.") % {"points": reduction.points}
            )
    elif enrolment.purpose == Purpose.E03:
        messages += verification_record(enrolment=enrolment)
    return messages


# --- E03 verification study ------------------------------------------------------------------


def e03_problems(*, person: Person) -> list[str]:
    licence = _licence(person)
    if licence is None:
        return [_("You have no driving licence on record.")]
    if licence.verification_due is None:
        return [_("No verification is due on your licence (R162 Art 72).")]
    if VerificationStudy.objects.filter(
        licence=licence, due_date=licence.verification_due
    ).exists():
        return [_("The study for this verification is already done.")]
    return []


def verification_record(*, enrolment: Enrolment) -> list[str]:
    """The study part of a verification is met (R162 Art 73: >= 3 hours and a passed test);
    the due date moves to the next cycle through the registry."""
    person = enrolment.person
    licence = registry_selectors.licence_of(person, for_update=True)
    if licence is None or licence.verification_due is None:
        return [_("No verification is due on your licence (R162 Art 72).")]
    problems = []
    if study_seconds(enrolment=enrolment) < rules.VERIFICATION_STUDY_MINUTES * 60:
        problems.append(_("At least three hours of study are needed (R162 Art 73)."))
    if has_unhandled(person):
        problems.append(_("Violations not handled: the verification cannot pass (R162 Art 73)."))
    if problems:
        return problems
    due = licence.verification_due
    next_due = rules.next_verification_due(licence.first_issue_date, due)
    VerificationStudy.objects.create(
        licence=licence,
        enrolment=enrolment,
        due_date=due,
        next_due=next_due,
        health_declared=True,
        completed_at=clock.now(),
    )
    registry_services.licence_update_dates(
        licence=licence,
        actor=account_of(person=person),
        reason="E03 verification study (R162 Arts 72-73)",
        verification_due=next_due,
    )
    event_record(
        actor=account_of(person=person),
        subject=licence,
        action="verification.study_done",
        after={"due": due.isoformat(), "next_due": next_due.isoformat()},
        reason="R162 Arts 72-73",
    )
    notify(
        kind=notice_kinds.VERIFICATION_DONE,
        context={"due": due.isoformat(), "next_due": next_due.isoformat()},
        dedup_key=f"{notice_kinds.VERIFICATION_DONE}:{licence.pk}:{due.isoformat()}",
        user=account_of(person=person),
        link="/me/",
    )
    return [_("The verification study is recorded.")]
