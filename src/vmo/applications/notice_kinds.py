"""Notices about applications (docs/catalogue.md: received, correction, approved, refused, completed,
time limit about to be missed) and the delivery of the documents issued."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

# The business as notices name it: its name in the reader's language (see notify._context).
_EXAMPLE = {"reference": "SQ20261124AB12CD34EF", "business": _("Renewal of a driving licence")}
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
        code="applications.lapsed",
        name=_("Application closed: fee not paid"),
        group=Group.APPLICATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily: an application's fee is still unpaid a week after it was submitted."
        ),
        subject=_("Application %(reference)s closed: its fee was not paid"),
        body=_(
            "Your application for %(business)s (%(reference)s) was closed because its fee was not"
            " paid within %(days)s days of submitting it. Nothing was decided on it; you can"
            " apply again."
        ),
        sms=_("Application %(reference)s was closed: its fee was not paid in %(days)s days."),
        channels=BOTH,
        example={**_EXAMPLE, "days": 7},
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

_VEHICLE = {**_EXAMPLE, "plate": "新B12345"}
register(
    NoticeKind(
        code="applications.confirm_request",
        name=_("Transfer to you: please confirm"),
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        trigger_text=_("A seller names you as the buyer of a vehicle."),
        subject=_("Confirm the transfer of %(plate)s to you"),
        body=_(
            "%(seller)s started the transfer of vehicle %(plate)s to you (%(reference)s). If you"
            " bought it, confirm in your account; if not, ignore this message."
        ),
        sms=_("%(seller)s started transferring %(plate)s to you; confirm in your account."),
        channels=BOTH,
        mandatory=True,
        example={**_VEHICLE, "seller": "张伟"},
    ),
    NoticeKind(
        code="vehicle.transferred",
        name=_("Vehicle transferred"),
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        trigger_text=_("A transfer registration completes: the seller and the buyer are told."),
        subject=_("Vehicle %(plate)s transferred"),
        body=_("Vehicle %(plate)s was transferred from %(seller)s to %(buyer)s (%(reference)s)."),
        sms=_("Vehicle %(plate)s was transferred to %(buyer)s (%(reference)s)."),
        channels=BOTH,
        mandatory=True,
        example={**_VEHICLE, "seller": "张伟", "buyer": "王芳"},
    ),
    NoticeKind(
        code="vehicle.mortgaged",
        name=_("Vehicle mortgaged (security alert)"),
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        trigger_text=_("A mortgage is registered on the owner's vehicle."),
        subject=_("Mortgage registered on %(plate)s"),
        body=_(
            "A mortgage of vehicle %(plate)s to %(lender)s was registered (%(reference)s). If you"
            " did not agree to it, call the office at once."
        ),
        sms=_(
            "A mortgage of %(plate)s to %(lender)s was registered. Not you? Call the office at once."
        ),
        channels=BOTH,
        mandatory=True,
        example={**_VEHICLE, "lender": "昌吉农村商业银行"},
    ),
    NoticeKind(
        code="vehicle.mortgage_released",
        name=_("Vehicle mortgage released"),
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        trigger_text=_("The mortgage on the owner's vehicle is released."),
        subject=_("Mortgage on %(plate)s released"),
        body=_("The mortgage of vehicle %(plate)s was released (%(reference)s)."),
        sms=_("The mortgage of %(plate)s was released (%(reference)s)."),
        channels=BOTH,
        mandatory=True,
        example=_VEHICLE,
    ),
    NoticeKind(
        code="vehicle.cancelled",
        name=_("Vehicle registration cancelled"),
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        trigger_text=_("The cancellation of a vehicle's registration completes."),
        subject=_("Registration of %(plate)s cancelled"),
        body=_(
            "The registration of vehicle %(plate)s is cancelled (%(reference)s); its plates and"
            " vehicle licence are void."
        ),
        sms=_("The registration of %(plate)s is cancelled; plates and licence are void."),
        channels=BOTH,
        mandatory=True,
        example=_VEHICLE,
    ),
)
