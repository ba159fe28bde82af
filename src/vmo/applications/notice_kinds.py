"""Notices about applications (CATALOGUE.md: received, correction, approved, refused, completed,
time limit about to be missed) and the delivery of the documents issued."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

_EXAMPLE = {"reference": "SQ20261124AB12CD34EF", "business": "驾驶证期满换证"}
BOTH = (Channel.IN_APP, Channel.SMS)

register(
    NoticeKind(
        code="applications.received",
        name=_("Application received"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("An application passes its automatic checks and is accepted."),
        subject=_("Application %(reference)s received"),
        body=_(
            "Your application for %(business)s (%(reference)s) was received on %(date)s and"
            " will be decided by %(due)s."
        ),
        sms=_("Your application %(reference)s for %(business)s was received; decision by %(due)s."),
        channels=BOTH,
        mandatory=True,
        example={**_EXAMPLE, "date": "2026-11-24", "due": "2026-11-25"},
    ),
    NoticeKind(
        code="applications.correction",
        name=_("Correction needed (one-time notice)"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "The automatic checks at submission, or an officer, find things to correct: all are"
            " listed in this one notice."
        ),
        subject=_("Application %(reference)s: please correct %(count)s item(s)"),
        body=_(
            "Your application for %(business)s (%(reference)s) needs the following corrections."
            " This notice lists everything that must be corrected:\n%(items)s"
        ),
        sms=_(
            "Your application %(reference)s needs %(count)s correction(s); see the list in your"
            " messages."
        ),
        channels=BOTH,
        mandatory=True,
        example={**_EXAMPLE, "count": 2, "items": "1. 照片不符合要求\n2. 体检证明已超过6个月"},
    ),
    NoticeKind(
        code="applications.approved",
        name=_("Application approved"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("A reviewer approves the application."),
        subject=_("Application %(reference)s approved"),
        body=_("Your application for %(business)s (%(reference)s) was approved."),
        example=_EXAMPLE,
    ),
    NoticeKind(
        code="applications.refused",
        name=_("Application refused (written notice)"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("A reviewer refuses the application with reasons and their legal basis."),
        subject=_("Application %(reference)s refused"),
        body=_(
            "Your application for %(business)s (%(reference)s) was refused. Reasons:\n%(reasons)s\n"
            "The written notice with your rights of appeal is attached to the application."
        ),
        sms=_(
            "Your application %(reference)s was refused; the written notice is in your messages."
        ),
        channels=BOTH,
        mandatory=True,
        example={
            **_EXAMPLE,
            "reasons": "1. 驾驶证处于暂扣状态（《机动车驾驶证申领和使用规定》第六十九条）",
        },
    ),
    NoticeKind(
        code="applications.completed",
        name=_("Application completed"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The business is done and the records are updated."),
        subject=_("Application %(reference)s completed"),
        body=_("%(business)s (%(reference)s) is done: %(result)s"),
        sms=_("%(business)s (%(reference)s) is done."),
        channels=BOTH,
        example={**_EXAMPLE, "result": "驾驶证有效期至2036-11-25"},
    ),
    NoticeKind(
        code="applications.withdrawn",
        name=_("Application withdrawn"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The applicant withdraws the application."),
        subject=_("Application %(reference)s withdrawn"),
        body=_("You withdrew your application for %(business)s (%(reference)s)."),
        example=_EXAMPLE,
    ),
    NoticeKind(
        code="applications.counter",
        name=_("Application moved to counter handling"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("An officer moves an online application to the service hall (R164 Art 74)."),
        subject=_("Application %(reference)s: please come to the service hall"),
        body=_(
            "Your application for %(business)s (%(reference)s) must be completed in person at the"
            " service hall. Reason: %(reason)s. Bring your identity card and the originals of your"
            " materials."
        ),
        sms=_(
            "Application %(reference)s must be completed at the service hall; see your messages."
        ),
        channels=BOTH,
        mandatory=True,
        example={**_EXAMPLE, "reason": "需要核对原件"},
    ),
    NoticeKind(
        code="applications.delivery",
        name=_("Documents ready or posted"),
        group=Group.APPLICATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The documents the office issued are posted or ready to collect."),
        subject=_("%(business)s (%(reference)s): %(status)s"),
        body=_("The documents of %(business)s (%(reference)s): %(status)s. %(detail)s"),
        sms=_("Documents of %(reference)s: %(status)s. %(detail)s"),
        channels=BOTH,
        example={**_EXAMPLE, "status": "已寄出", "detail": "EMS 1234567890"},
    ),
    NoticeKind(
        code="applications.deadline_near",
        name=_("Time limit about to be missed (to the officer)"),
        group=Group.APPLICATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily: an application is due within one working day, or overdue, and not decided."
        ),
        subject=_("Application %(reference)s is due %(due)s"),
        body=_(
            "Application %(reference)s (%(business)s) is due by %(due)s and is still %(status)s."
        ),
        example={**_EXAMPLE, "due": "2026-11-25", "status": "审核中"},
    ),
)
