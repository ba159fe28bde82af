"""Notices about appointments (docs/catalogue.md: exam booked, cancelled, result; inspection result).

Context values are plain data: `what` names the appointment (a plate number, or the exam subject
in the notice's language), `site`, `day` and `time` the session."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

BOTH = (Channel.IN_APP, Channel.SMS)
_EXAMPLE = {
    "what": "科目二",
    "site": "昌吉市机动车驾驶人考试中心",
    "day": "2026-12-08",
    "time": "09:00",
}

register(
    NoticeKind(
        code="appointments.booked",
        name=_("Appointment booked"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.EVENT,
        trigger_text=_("A citizen books an inspection or exam session."),
        subject=_("Appointment booked: %(what)s"),
        body=_(
            "Your appointment for %(what)s is booked at %(site)s on %(day)s at %(time)s."
            " Cancel by %(cancel_by)s if you cannot attend."
        ),
        sms=_("Booked: %(what)s at %(site)s on %(day)s %(time)s. Cancel by %(cancel_by)s."),
        channels=BOTH,
        example={**_EXAMPLE, "cancel_by": "2026-12-07 23:59"},
    ),
    NoticeKind(
        code="appointments.cancelled",
        name=_("Appointment cancelled"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.EVENT,
        trigger_text=_("A citizen cancels a booking before the deadline."),
        subject=_("Appointment cancelled: %(what)s"),
        body=_("Your appointment for %(what)s at %(site)s on %(day)s at %(time)s is cancelled."),
        sms=_("Cancelled: %(what)s at %(site)s on %(day)s %(time)s."),
        channels=BOTH,
        example=_EXAMPLE,
    ),
    NoticeKind(
        code="appointments.rescheduled",
        name=_("Appointment moved"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.EVENT,
        trigger_text=_("A citizen moves a booking to another session before the deadline."),
        subject=_("Appointment moved: %(what)s"),
        body=_(
            "Your appointment for %(what)s is moved from %(old_day)s %(old_time)s to %(site)s on"
            " %(day)s at %(time)s."
        ),
        sms=_("Moved: %(what)s now at %(site)s on %(day)s %(time)s."),
        channels=BOTH,
        example={**_EXAMPLE, "old_day": "2026-12-01", "old_time": "14:00"},
    ),
    NoticeKind(
        code="appointments.exam_result",
        name=_("Exam result"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.EVENT,
        trigger_text=_("An examiner records the result of a booked exam."),
        subject=_("Exam result: %(what)s %(result)s"),
        body=_("Your exam %(what)s at %(site)s on %(day)s: %(result)s. %(next)s"),
        sms=_("Exam %(what)s on %(day)s: %(result)s. %(next)s"),
        channels=BOTH,
        mandatory=True,
        example={**_EXAMPLE, "result": "不合格", "next": "可于2026-12-18起重新预约。"},
    ),
    NoticeKind(
        code="appointments.inspection_result",
        name=_("Inspection result"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.EVENT,
        trigger_text=_("A station officer records the result of a booked inspection."),
        subject=_("Inspection result for %(what)s: %(result)s"),
        body=_("The inspection of %(what)s at %(site)s on %(day)s: %(result)s. %(next)s"),
        sms=_("Inspection of %(what)s on %(day)s: %(result)s. %(next)s"),
        channels=BOTH,
        example={
            **_EXAMPLE,
            "what": "新B12345",
            "result": "合格",
            "next": "检验有效期至2028-04-30。",
        },
    ),
)

# R162 Art 41: the learner permit is valid three years; the subjects passed lapse with it.
register(
    NoticeKind(
        code="appointments.permit_lapsed",
        name=_("Learner permit lapsed"),
        group=Group.APPOINTMENTS,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: a learner permit's three years ended without a licence (R162 Art 41)."
        ),
        subject=_("Your learner permit has lapsed"),
        body=_(
            "Your learner permit for class %(class)s was valid until %(date)s. The subjects you"
            " passed lapse with it (R162 Art 41): to drive, apply and take the exams again."
        ),
        sms=_(
            "Your learner permit (class %(class)s) ended on %(date)s; the subjects passed lapse"
            " with it (R162 Art 41)."
        ),
        channels=BOTH,
        mandatory=True,
        example={"class": "C1", "date": "2026-12-08"},
    ),
)
