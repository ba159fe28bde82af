"""The certificate of completion, as an A4 letter with the embedded CJK font."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.masking import mask_id_number
from vmo.core.pdf import render_letter
from vmo.core.selectors import office_config

from .choices import Purpose
from .models import Enrolment, PointsReduction
from .selectors import study_time_total


def certificate_pdf(enrolment: Enrolment, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        en = language.startswith("en")
        course = enrolment.course
        person = enrolment.person
        attempt = enrolment.attempts.filter(passed=True).order_by("submitted_at").first()
        minutes = study_time_total(enrolment) // 60
        completed = clock.local(enrolment.completed_at or clock.now())
        lines = [
            _("Name: %(name)s") % {"name": person.name},
            _("ID number: %(id)s") % {"id": mask_id_number(person.id_number)},
            _("Course: %(course)s") % {"course": course.title_en if en else course.title_zh},
            _("Study time recorded by the office: %(minutes)d minutes") % {"minutes": minutes},
        ]
        if attempt is not None:
            lines.append(
                _("Quiz: %(score)d%% (pass mark %(mark)d%%)")
                % {"score": attempt.score or 0, "mark": course.pass_mark}
            )
        lines.append(_("Completed on: %(date)s") % {"date": f"{completed:%Y-%m-%d %H:%M}"})
        effect: list[str] = []
        if enrolment.purpose == Purpose.E01:
            reduction = PointsReduction.objects.filter(enrolment=enrolment).first()
            if reduction is not None:
                effect.append(
                    _(
                        "%(points)d point(s) taken off the scoring cycle starting %(start)s "
                        "(R163 Art 27)."
                    )
                    % {"points": reduction.points, "start": reduction.cycle_start.isoformat()}
                )
            else:
                effect.append(_("No points were reduced by this study."))
        office = office_config()
        name = (office.office_name_en if en else "") or office.office_name_zh
        return render_letter(
            title=_("Certificate of study completion"),
            office_name=name,
            reference=_("No. %(number)s") % {"number": enrolment.certificate_number},
            sections=[(_("Holder and study"), lines)]
            + ([(_("Legal effect"), effect)] if effect else []),
            footer=_(
                "Study time is measured by the office's servers. Check this certificate with "
                "its number at the office."
            ),
        )
