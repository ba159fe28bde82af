"""The demo case of the full-score study at the site (R163 Arts 19, 26(5), 31), made on its own
(the whole city is seeded in test_seed): made once, a void day, not complete, the bar shown."""

from __future__ import annotations

import pytest

from vmo.core import clock
from vmo.demo.law_cases_study import study_case_ensure
from vmo.demo.seed import officers_ensure
from vmo.education import selectors, services
from vmo.education.models import CheatingFinding, FullScoreStudy, OnsiteStudyDay
from vmo.notices.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_on_site_study_case_r163_arts_19_31():
    officers_ensure()
    today = clock.today()
    ((_, person),) = study_case_ensure(today)
    study_case_ensure(today)  # a second run finds it
    study = FullScoreStudy.objects.get(licence__holder=person)
    assert study.large_class and study.completed_at is None
    assert OnsiteStudyDay.objects.filter(study=study, finding__isnull=True).count() == 2
    finding = CheatingFinding.objects.get(full_score_study=study)
    assert finding.kind == "proxy" and finding.bar_ends_on >= today
    assert not selectors.full_score_study_complete(study.licence)
    assert any("26(5)" in p for p in services.e01_problems(person=person))
    assert Message.objects.filter(kind="education.cheating_found", user=person.account).exists()
