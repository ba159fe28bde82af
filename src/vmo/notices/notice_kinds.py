"""Licence and vehicle notices found by the daily scans (scans.py) or raised from the history.

Periods: renewal in the 90 days before expiry (R162 Art 63); cancellation after more
than a year past expiry, or for a 70+ holder without physical proof a year after the cycle
(Art 79); verification within 30 days after the cycle (Arts 71-74); physical proof every year
at 70+ (Art 74); probation 12 months (Art 76); inspection sticker within the 3 months before
expiry (R164 Art 54); compulsory scrapping after 3 cycles without a sticker (强制报废标准 Art 4).
"""

from django.utils.translation import gettext_lazy as _

from .choices import Channel
from .kinds import Group, NoticeKind, Trigger, register

BOTH = (Channel.IN_APP, Channel.SMS)
_LICENCE = {"file": "****0042", "date": "2027-03-01", "days": 90}


def _licence(code: str, **fields) -> NoticeKind:
    fields.setdefault("audience", _("The licence holder"))
    fields.setdefault("channels", BOTH)
    return NoticeKind(code=code, group=Group.LICENCE, **fields)


register(
    _licence(
        "licence.validity_ending",
        name=_("Licence validity ending in 90 days"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the licence's validity ends within the next 90 days."),
        subject=_("Your driving licence expires on %(date)s"),
        body=_(
            "Your driving licence %(file)s is valid until %(date)s. You can renew it now, online"
            " or at any office, with a physical-condition proof (R162 Art 63)."
        ),
        sms=_("Your driving licence expires on %(date)s. Renew it online now."),
        dedup_text=_("kind + licence + expiry date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.validity_ended",
        name=_("Licence validity ended"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the validity ended and the licence was not renewed."),
        subject=_("Your driving licence expired on %(date)s"),
        body=_(
            "Your driving licence %(file)s expired on %(date)s. Do not drive until it is renewed."
            " A licence not renewed within one year after expiry is cancelled (R162 Art 79)."
        ),
        sms=_("Your driving licence expired on %(date)s. Do not drive; renew it within a year."),
        mandatory=True,
        dedup_text=_("kind + licence + expiry date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.renewal_deferral_ended",
        name=_("Licence renewal deferral ended"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: the day after a renewal deferral ends, the licence not yet renewed."
        ),
        subject=_("Your licence renewal deferral ended on %(date)s"),
        body=_(
            "The deferral of the renewal of your driving licence %(file)s ended on %(date)s."
            " Renew it now, online or at any office; do not drive until it is renewed. A"
            " licence not renewed within one year after the deferral ends is cancelled"
            " (R162 Arts 75 and 79)."
        ),
        sms=_("Your licence renewal deferral ended on %(date)s. Do not drive; renew it now."),
        mandatory=True,
        dedup_text=_("kind + licence + end of the deferral"),
        example=_LICENCE,
    ),
    _licence(
        "licence.cancel_overdue_renewal",
        name=_("Licence about to be cancelled: renewal overdue"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: the licence expired nearly a year ago and was not renewed; it will be"
            " cancelled within 30 days."
        ),
        subject=_("Your driving licence will be cancelled on %(date)s"),
        body=_(
            "Your driving licence %(file)s expired more than eleven months ago. If it is not"
            " renewed by %(date)s it will be cancelled (R162 Art 79)."
        ),
        sms=_("Renew your expired driving licence by %(date)s or it will be cancelled."),
        mandatory=True,
        dedup_text=_("kind + licence + expiry date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.cancel_no_physical",
        name=_("Licence about to be cancelled: physical proof missing"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: a holder aged 70 or more has not given the physical-condition proof"
            " for nearly a year after it was due."
        ),
        subject=_("Your driving licence will be cancelled on %(date)s"),
        body=_(
            "The physical-condition proof for licence %(file)s has been missing for almost a"
            " year. If it is not submitted by %(date)s the licence will be cancelled"
            " (R162 Art 79)."
        ),
        sms=_("Submit your physical-condition proof by %(date)s or your licence is cancelled."),
        mandatory=True,
        dedup_text=_("kind + licence + proof due date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.verification_due",
        name=_("Verification due"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the licence's verification (审验) is due within 30 days."),
        subject=_("Licence verification due by %(date)s"),
        body=_(
            "Licence %(file)s must be verified by %(date)s: have your violations and accidents"
            " handled and complete the verification education (R162 Arts 71-74)."
        ),
        sms=_("Your driving licence verification is due by %(date)s."),
        dedup_text=_("kind + licence + due date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.verification_overdue",
        name=_("Verification overdue"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the verification deadline passed without verification."),
        subject=_("Licence verification overdue since %(date)s"),
        body=_(
            "Licence %(file)s was due for verification on %(date)s. Driving while verification"
            " is overdue is fined 200 to 500 yuan (R162 Art 99)."
        ),
        sms=_("Your licence verification is overdue since %(date)s. Do not drive until done."),
        mandatory=True,
        dedup_text=_("kind + licence + due date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.physical_due",
        name=_("Physical-condition proof due"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the yearly physical-condition proof is due within 30 days."),
        subject=_("Physical-condition proof due by %(date)s"),
        body=_(
            "Please submit the physical-condition proof for licence %(file)s by %(date)s, from"
            " a county-level hospital or an approved health-check institution (R162 Arts 74, 85)."
        ),
        sms=_("Submit your physical-condition proof by %(date)s."),
        dedup_text=_("kind + licence + due date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.physical_overdue",
        name=_("Physical-condition proof overdue"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the physical-condition proof was due and was not given."),
        subject=_("Physical-condition proof overdue since %(date)s"),
        body=_(
            "The physical-condition proof for licence %(file)s was due on %(date)s. Submit it"
            " soon: a year after the cycle ends without it, the licence is cancelled."
        ),
        sms=_("Your physical-condition proof is overdue since %(date)s. Submit it soon."),
        mandatory=True,
        dedup_text=_("kind + licence + due date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.probation_ending",
        name=_("Probation ending"),
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: the 12-month probation ends within 14 days."),
        subject=_("Your probation ends on %(date)s"),
        body=_(
            "The probation of licence %(file)s ends on %(date)s. Until then keep the probation"
            " sign on the car; 12 points during probation cancel the class (R162 Arts 76-80)."
        ),
        sms=_("Your driving probation ends on %(date)s."),
        dedup_text=_("kind + licence + end date"),
        example=_LICENCE,
    ),
    _licence(
        "licence.suspended",
        name=_("Licence suspended"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "History scan (daily): a decision added the letter D (withheld) or J"
            " (suspended from use) to the licence's status."
        ),
        subject=_("Your driving licence is suspended"),
        body=_(
            "Licence %(file)s is suspended since %(date)s (status %(status)s). You may not"
            " drive until it is returned. Reason: %(reason)s"
        ),
        sms=_("Your driving licence is suspended since %(date)s. Do not drive."),
        mandatory=True,
        dedup_text=_("kind + history event"),
        example={**_LICENCE, "status": "D", "reason": "满分教育未完成"},
    ),
    _licence(
        "licence.revoked",
        name=_("Licence revoked"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "History scan: a decision added the letter F (revoked) or E (annulled) to the"
            " licence's status."
        ),
        subject=_("Your driving licence is revoked"),
        body=_(
            "Licence %(file)s was revoked on %(date)s (status %(status)s). Reason: %(reason)s."
            " You may ask for administrative reconsideration within 60 days or sue within"
            " 6 months."
        ),
        sms=_("Your driving licence was revoked on %(date)s. See your messages for the reason."),
        mandatory=True,
        dedup_text=_("kind + history event"),
        example={**_LICENCE, "status": "F", "reason": "饮酒后驾驶营运机动车"},
    ),
    _licence(
        "licence.cancelled",
        name=_("Licence cancelled"),
        trigger=Trigger.SCAN,
        trigger_text=_("History scan: the letter G (cancelled) was added to the licence's status."),
        subject=_("Your driving licence is cancelled"),
        body=_(
            "Licence %(file)s was cancelled on %(date)s. Reason: %(reason)s. An unreturned"
            " licence is declared void in a public announcement (R162 Art 79)."
        ),
        sms=_("Your driving licence was cancelled on %(date)s."),
        mandatory=True,
        dedup_text=_("kind + history event"),
        example={**_LICENCE, "status": "G", "reason": "超过有效期一年以上未换证"},
    ),
    _licence(
        "licence.points_recorded",
        name=_("Points recorded"),
        trigger=Trigger.EVENT,
        trigger_text=_("A penalty decision records points on the licence (R163 Art 13)."),
        subject=_("%(points)s points recorded on your licence"),
        body=_(
            "Decision %(decision)s recorded %(points)s points on licence %(file)s for %(offence)s."
            " Points in the current cycle: %(total)s of 12."
        ),
        sms=_("%(points)s points recorded on your licence; %(total)s of 12 in this cycle."),
        dedup_text=_("kind + decision"),
        example={
            **_LICENCE,
            "points": 3,
            "total": 6,
            "decision": "CJ2026000123",
            "offence": "驾驶时拨打接听手持电话",
        },
    ),
    _licence(
        "licence.full_score",
        name=_("Full score reached"),
        trigger=Trigger.SCAN,
        trigger_text=_(
            "History scan: recorded points bring the cycle's total to 12 and the registry adds"
            " the letter B (full score) to the licence's status (R163 Art 17), whoever recorded"
            " them."
        ),
        subject=_("Your licence reached the full score of 12 points"),
        body=_(
            "Licence %(file)s reached 12 points on %(date)s (status %(status)s). The licence is"
            " withheld; you must complete full-score education and pass the exam (R163 Arts"
            " 17-23). Without attending within 30 days, the licence is suspended from use by"
            " public announcement (Art 29)."
        ),
        sms=_("Your licence reached 12 points on %(date)s. Start full-score education."),
        mandatory=True,
        dedup_text=_("kind + history event"),
        example={**_LICENCE, "status": "B", "reason": "points +6"},
    ),
)

from . import scans, vehicle_kinds  # noqa: E402, F401 - registers the scans, the vehicle kinds
