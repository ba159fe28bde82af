"""The demo case of the full-score study at the site (R163 Arts 19, 26(5), 31): a B2 holder
at full score with on-site days recorded by the clerk, one of them found done by someone else
by the supervisor. The study is not complete (10 days, 5 on site for B2), the void day shows
on the officers' page (/office/learning/full-score/), and the holder's learning page shows the
bar on reducing points. Made once; a second run finds it."""

from __future__ import annotations

from datetime import date, time, timedelta

from vmo.accounts.models import User
from vmo.education.models import FullScoreStudy
from vmo.education.services.cheating import full_score_cheating_record
from vmo.education.services.full_score import full_score_assign
from vmo.education.services.onsite import onsite_day_record
from vmo.registry import rules
from vmo.registry.models import Person
from vmo.registry.services import points_record

from . import identifiers as ids
from .ensure import licence_ensure, person_ensure

SITE = "昌吉州车管所满分学习教室"


def study_case_ensure(today: date) -> list[tuple[str, Person]]:
    from .seed import citizen_account_ensure

    person = person_ensure(
        name="李国强",
        id_number=ids.id_number_from("652301", date(1978, 4, 16), 833),
        phone="13899990031",
        address="新疆昌吉市北京南路58号",
    )
    rows = [("citizen 李国强 (B2 full score: on-site days, one found falsified)", person)]
    issue = rules.add_months(today, -12 * 12) - timedelta(days=200)
    licence, made = licence_ensure(
        person,
        file_number="652390000031",
        classes="B2",
        first_issue_date=issue,
        valid_from=rules.add_months(issue, 72),
        valid_to=rules.add_months(issue, 192),
    )
    citizen_account_ensure(person)
    if not made:
        return rows
    clerk = User.objects.get(username="clerk")
    supervisor = User.objects.get(username="supervisor")
    points_record(
        licence=licence,
        actor=None,
        points=12,
        kind="violation",
        occurred_on=max(rules.cycle_start(issue, today), today - timedelta(days=20)),
        source_type="demo",
        source_id="law-onsite-full-score",
        note="demo: R163 Art 17",
    )
    study = full_score_assign(licence=licence)
    if study is None:
        return rows
    # Assigned ten days ago, so the days recorded since lie within the study.
    FullScoreStudy.objects.filter(pk=study.pk).update(
        assigned_at=study.assigned_at - timedelta(days=10)
    )
    study.refresh_from_db()
    days = [
        onsite_day_record(
            study=study,
            actor=clerk,
            day=today - timedelta(days=back),
            site=SITE,
            starts_at=time(9, 0),
            ends_at=time(12, 30),
        )
        for back in (9, 8, 7)
    ]
    full_score_cheating_record(
        study=study,
        actor=supervisor,
        kind="proxy",
        reason="签到照片与本人不符，系他人代为参加现场学习",
        onsite_days=days[2:],
    )
    return rows
