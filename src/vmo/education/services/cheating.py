"""An officer's finding of falsified study (R163 Art 31): the reduction it earned is revoked and
its points restored (para 2), or the full-score study's records concerned are void (para 1);
learning to reduce points is then refused for the cycle of the study and the two after it
(Art 26(5)). The person is told; every change is in the history. The fine of Art 31 is a
separate penalty decision, not made here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record
from vmo.notices.services import notify
from vmo.registry import selectors as registry_selectors
from vmo.registry import services as registry_services
from vmo.registry.choices import PointsKind

from .. import hooks, notice_kinds, rules
from ..choices import CheatingKind, Purpose
from ..models import CheatingFinding, Enrolment, FullScoreStudy, OnsiteStudyDay, PointsReduction
from .effects import account_of
from .full_score import full_score_progress_check, online_study_dates

if TYPE_CHECKING:
    from collections.abc import Sequence

    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence

E01_REVOKED_SOURCE = "education:E01-revoked"
# The source of the entry that undoes a full-score clearing; its id is the cleared entry's.
EXAM_VOID_SOURCE = "education:exam-void"


def _finding(
    *,
    licence: DriverLicence,
    actor: User,
    kind: str,
    reason: str,
    study_on: date,
    **subject: object,
) -> CheatingFinding:
    if kind not in CheatingKind.values:
        raise ValidationError({"kind": _("Choose what was falsified.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what you found and how.")})
    return CheatingFinding.objects.create(
        licence=licence,
        kind=kind,
        study_on=study_on,
        bar_ends_on=rules.cheating_bar_ends(licence.first_issue_date, study_on),
        found_on=clock.today(),
        reason=reason.strip()[:300],
        found_by=actor,
        **subject,
    )


def _tell(finding: CheatingFinding, *, article: str, days: int, online_days: int) -> None:
    assert finding.study_on is not None and finding.bar_ends_on is not None
    event_record(
        actor=finding.found_by,
        subject=finding,
        action="study.cheating_found",
        after={
            "kind": finding.kind,
            "study_on": finding.study_on.isoformat(),
            "bar_ends_on": finding.bar_ends_on.isoformat(),
            "onsite_days_void": days,
            "online_days_void": online_days,
            "points_restored": finding.points_restored,
        },
        reason=f"{article}, Art 26(5): {finding.reason}",
    )
    notify(
        kind=notice_kinds.CHEATING_FOUND,
        context={
            "study_on": finding.study_on.isoformat(),
            "days": days,
            "online_days": online_days,
            "points": finding.points_restored,
            "bar_ends": finding.bar_ends_on.isoformat(),
        },
        dedup_key=f"{notice_kinds.CHEATING_FOUND}:{finding.pk}",
        user=account_of(person=finding.licence.holder),
        phone=finding.licence.holder.phone or None,
        link="/learn/",
    )


def reduction_cheating_record(
    *, enrolment: Enrolment, actor: User, kind: str, reason: str
) -> CheatingFinding:
    """Falsified learning to reduce points (Art 31 para 2): its reduction revoked, the points
    restored in the cycle they were taken from."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
        )
        if enrolment.purpose != Purpose.E01:
            raise ValidationError(_("Only a learn-to-reduce-points study is judged here."))
        if CheatingFinding.objects.filter(enrolment=enrolment).exists():
            raise ValidationError(_("A finding is already recorded for this study."))
        licence = registry_selectors.licence_of(enrolment.person, for_update=True)
        if licence is None:
            raise ValidationError(_("The person has no driving licence on record."))
        finding = _finding(
            licence=licence,
            actor=actor,
            kind=kind,
            reason=reason,
            study_on=clock.local(enrolment.started_at).date(),
            enrolment=enrolment,
        )
        reduction = (
            PointsReduction.objects.select_for_update()
            .select_related("entry")
            .filter(enrolment=enrolment, revoked_at__isnull=True)
            .first()
        )
        if reduction is not None:
            reduction.revoked_at = clock.now()
            reduction.save(update_fields=["revoked_at"])
            registry_services.points_record(
                licence=licence,
                actor=actor,
                points=reduction.points,
                kind=PointsKind.CORRECTION,
                occurred_on=reduction.entry.occurred_on,
                source_type=E01_REVOKED_SOURCE,
                source_id=str(enrolment.pk),
                note="R163 Art 31 para 2",
            )
            event_record(
                actor=actor,
                subject=reduction,
                action="points.reduction_revoke",
                after={"points": reduction.points, "finding": finding.pk},
                reason="R163 Art 31 para 2",
            )
            finding.points_restored = reduction.points
            finding.save(update_fields=["points_restored"])
        _tell(finding, article="R163 Art 31 para 2", days=0, online_days=0)
    return finding


def _clearing_void(
    finding: CheatingFinding, *, since: date | None, until: date | None, actor: User
) -> int:
    """A falsified full-score exam's result is void (Art 31 para 1): the exams passed up to the
    finding no longer count (``selectors.exams_void_until``, read by the bookings), and the
    clearing they earned (Art 23) is undone in the cycle it was made in, so the full score and
    its letter B come back. Undone by a "cleared" entry of the opposite sign: the cycle's
    accumulated points (Art 22) and its count of full scores stay as they were. Returns the
    points restored. ``since`` to ``until``: the days of the full score whose exam was
    falsified (`registry.selectors.full_score_episode`); a later full score's clearing is not
    this finding's to undo."""
    licence = finding.licence
    if since is None:
        return 0
    entries = registry_selectors.points_entries()
    undone = entries.filter(licence=licence, source_type=EXAM_VOID_SOURCE)
    cleared = (
        entries.filter(
            licence=licence,
            kind=PointsKind.CLEARED,
            occurred_on__gte=since,
            occurred_on__lte=until or date.max,
            points__lt=0,
        )
        .exclude(pk__in=[int(pk) for pk in undone.values_list("source_id", flat=True)])
        .order_by("pk")
    )
    restored = 0
    for entry in cleared:
        registry_services.points_record(
            licence=licence,
            actor=actor,
            points=-entry.points,
            kind=PointsKind.CLEARED,
            occurred_on=entry.occurred_on,
            source_type=EXAM_VOID_SOURCE,
            source_id=str(entry.pk),
            note="R163 Art 31 para 1",
        )
        event_record(
            actor=actor,
            subject=licence,
            action="points.clearing_void",
            before={"entry": entry.pk, "points": entry.points, "source": entry.source_type},
            after={"points": -entry.points, "finding": finding.pk},
            reason="R163 Art 31 para 1: the full-score exam was falsified, its result is void",
        )
        restored += -entry.points
    return restored


def full_score_cheating_record(
    *,
    study: FullScoreStudy,
    actor: User,
    kind: str,
    reason: str,
    onsite_days: Sequence[OnsiteStudyDay] = (),
    online: bool = False,
) -> CheatingFinding:
    """Falsified full-score study (Art 31 para 1): the on-site days named and, if so found, the
    online study credited so far are void; the study is no longer complete if it counted them.
    A falsified exam: the full-score exams passed so far are void and the points they cleared
    come back (``_clearing_void``); they are taken again."""
    with transaction.atomic():
        study = (
            FullScoreStudy.objects.select_for_update().select_related("licence").get(pk=study.pk)
        )
        days = list(
            OnsiteStudyDay.objects.select_for_update().filter(
                study=study, pk__in=[d.pk for d in onsite_days], finding__isnull=True
            )
        )
        online_dates = online_study_dates(study=study) if online else set()
        if not days and not online and kind != CheatingKind.EXAM:
            raise ValidationError(
                {"onsite_days": _("Choose the on-site days or the online study found falsified.")}
            )
        dates = [d.day for d in days] + sorted(online_dates)
        finding = _finding(
            licence=study.licence,
            actor=actor,
            kind=kind,
            reason=reason,
            study_on=min(dates) if dates else clock.today(),
            full_score_study=study,
        )
        if days:
            OnsiteStudyDay.objects.filter(pk__in=[d.pk for d in days]).update(finding=finding)
        if online:
            study.online_void_before = clock.now()
            study.save(update_fields=["online_void_before"])
        if kind == CheatingKind.EXAM:
            # The full score this study was for, not the licence's latest: one reached since
            # keeps its own exams and clearing.
            since, until = registry_selectors.full_score_episode(
                study.licence, on=clock.local(study.assigned_at).date()
            )
            finding.points_restored = _clearing_void(finding, since=since, until=until, actor=actor)
            finding.save(update_fields=["points_restored"])
            # The bookings read "void" and the flags the pass lifted are set again (in
            # appointments, which recorded the pass), in this transaction.
            hooks.run_exams_void(
                licence=study.licence,
                since=since,
                until=min(until, finding.found_on) if until else finding.found_on,
                actor=actor,
            )
        _tell(finding, article="R163 Art 31 para 1", days=len(days), online_days=len(online_dates))
    full_score_progress_check(study_id=study.pk, actor=actor)
    return finding
