"""Notices about violations and fines (RP Arts 20, 57; RTSL Arts 108-109)."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, SmsText, Trigger, register, register_sms

BOTH = (Channel.IN_APP, Channel.SMS)
_RECORD = {
    "plate": "新B·12345",
    "time": "2026-11-20 08:15",
    "place": "昌吉市延安北路与北京南路交叉口",
    "offence": "机动车不按交通信号灯指示通行",
    "code": "1625",
    "points": 6,
    "fine": "¥200.00",
    "record": "CJ20261120000001",
}
_DECISION = {
    "number": "CJ2026000123",
    "plate": "新B·12345",
    "fine": "¥200.00",
    "fee": "¥42.00",
    "days": 7,
    "per_day": "¥6.00",
    "total": "¥242.00",
    "due": "2026-12-05",
}

register(
    NoticeKind(
        code="violation.new",
        name=_("New camera-recorded violation"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "A camera record on the vehicle is loaded by intake (in the same transaction);"
            " owners without an account get the daily SMS digest instead."
        ),
        audience=_("The vehicle's owner (a person with an account)"),
        subject=_("New traffic violation record for %(plate)s"),
        body=_(
            "A traffic camera recorded your vehicle %(plate)s on %(time)s at %(place)s: %(offence)s"
            " (code %(code)s), %(points)s points, fine %(fine)s. Record number %(record)s."
            " Please have it handled within 30 days: online if it qualifies, or at any traffic"
            " police office."
        ),
        dedup_text=_("kind + record"),
        mandatory=True,
        example=_RECORD,
    ),
    NoticeKind(
        code="violations.new_digest",
        name=_("New camera-recorded violations (daily SMS)"),
        group=Group.VIOLATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: the records loaded the day before, one SMS per owner and day"
            " (RP Art 20: notify within 5 days)."
        ),
        audience=_("The vehicle's owner (a person), with or without an account"),
        subject=_("%(count)s new violation record(s) for %(plate)s"),
        body=_(
            "%(count)s new camera record(s) for %(plate)s were entered on %(date)s. Handle them"
            " within 30 days, online or at any traffic police office."
        ),
        sms=_("%(count)s new violation record(s) for %(plate)s. Handle within 30 days."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + owner + day"),
        example={"count": 2, "plate": "新B·12345", "date": "2026-11-20"},
    ),
    NoticeKind(
        code="violations.unhandled_15_days",
        name=_("Violation unhandled for 15 days"),
        group=Group.VIOLATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: a record entered 15 days ago is still not handled."),
        audience=_("The vehicle's owner, or everyone who acts for the owning company"),
        subject=_("Violation %(record)s on %(plate)s still not handled"),
        body=_(
            "The record %(record)s (%(plate)s, %(time)s) was entered 15 days ago and is not"
            " handled. Please handle it by %(deadline)s."
        ),
        sms=_("Violation on %(plate)s of %(time)s is unhandled; handle it by %(deadline)s."),
        channels=BOTH,
        dedup_text=_("kind + record"),
        example={**_RECORD, "deadline": "2026-12-20"},
    ),
    NoticeKind(
        code="violations.fine_due",
        name=_("Fine due"),
        group=Group.VIOLATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_("Daily scan: an unpaid fine is due within 3 days (RTSL Art 108: 15 days)."),
        audience=_("Who handled the record"),
        subject=_("Fine of decision %(number)s due on %(due)s"),
        body=_(
            "Decision %(number)s (%(plate)s): fine %(fine)s. Pay by %(due)s to owe no late fee;"
            " after that %(per_day)s is added each day, up to the amount of the fine."
        ),
        sms=_("Pay the fine %(fine)s of decision %(number)s by %(due)s to avoid a late fee."),
        channels=BOTH,
        dedup_text=_("kind + decision"),
        example=_DECISION,
    ),
    NoticeKind(
        code="violations.fine_overdue",
        name=_("Fine overdue, late fee growing"),
        group=Group.VIOLATIONS,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: an unpaid fine is 1, 7, 14, 21 or 28 days late, and the day the late"
            " fee reaches the fine (RTSL Art 109, 3% a day, capped)."
        ),
        audience=_("Who handled the record"),
        subject=_("Fine overdue: %(total)s now owed"),
        body=_(
            "Decision %(number)s (%(plate)s): fine %(fine)s, late fee %(fee)s (%(days)s days"
            " at %(per_day)s), now owed %(total)s."
        ),
        sms=_("Fine of decision %(number)s is %(days)s days late: %(total)s now owed."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + decision + days late"),
        example=_DECISION,
    ),
)

# Events of online handling (services/handling.py, bindings.py, fines.py): in-app, and the
# nomination also by SMS because the named driver may have no account yet.
_HANDLED = {"plate": "新B·12345", "name": "张三"}
register(
    NoticeKind(
        code="violation.decision",
        name=_("Penalty decision served"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("A record is handled online: the penalty decision is made."),
        audience=_("Who handled the record"),
        subject=_("Violation %(plate)s handled"),
        body=_(
            "Penalty decision %(number)s: %(points)d points, fine %(fine)s, to be paid by %(due)s."
        ),
        mandatory=True,
        dedup_text=_("kind + decision"),
        example={**_DECISION, "points": 6},
    ),
    NoticeKind(
        code="violation.nominated",
        name=_("Named as the driver"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The owner of a vehicle names who drove it when a record was made."),
        audience=_("The named driver (with or without an account)"),
        subject=_("You were named as the driver"),
        body=_(
            "You were named as the driver of %(plate)s at %(place)s on %(time)s. Sign in to confirm"
            " or decline."
        ),
        sms=_("You were named as the driver of %(plate)s on %(time)s. Sign in to answer."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + nomination"),
        example=_RECORD,
    ),
    NoticeKind(
        code="violation.nomination_confirmed",
        name=_("Named driver confirmed"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The named driver confirms and handles the record on their licence."),
        audience=_("The owner who named the driver, or everyone who acts for the owning company"),
        subject=_("The driver you named has answered"),
        body=_("The driver confirmed and the record of %(plate)s is handled on their licence."),
        dedup_text=_("kind + nomination"),
        example=_HANDLED,
    ),
    NoticeKind(
        code="violation.nomination_declined",
        name=_("Named driver declined"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The named driver declines: the record is the owner's to handle again."),
        audience=_("The owner who named the driver, or everyone who acts for the owning company"),
        subject=_("The driver you named has answered"),
        body=_("The driver declined. The record of %(plate)s is still to be handled."),
        dedup_text=_("kind + nomination"),
        example=_HANDLED,
    ),
    NoticeKind(
        code="violation.nomination_expired",
        name=_("Named driver did not answer"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "Daily: the named driver has not answered by the last day the office allows."
        ),
        audience=_("The owner who named the driver, or everyone who acts for the owning company"),
        subject=_("The driver you named did not answer"),
        body=_(
            "The driver you named for %(plate)s did not answer in time. The record is yours to"
            " handle again, or you can name the driver once more."
        ),
        dedup_text=_("kind + nomination"),
        example=_HANDLED,
    ),
    NoticeKind(
        code="violation.proxy_driver",
        name=_("Online handling suspended: suspected handling for others (driver)"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "An online decision makes the driver's year reach the office's number of different"
            " vehicles, not their own, handled."
        ),
        audience=_("The driver (with or without an account)"),
        subject=_("Online handling of violations suspended"),
        body=_(
            "Within a year you handled the records of %(count)s vehicles that are not yours."
            " Online handling is suspended until an officer clears it: please go to the service"
            " hall of the vehicle management office."
        ),
        sms=_("You handled %(count)s non-own vehicles in a year: online handling suspended."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + listing"),
        example={"count": 3, "plate": ""},
    ),
    NoticeKind(
        code="violation.proxy_vehicle",
        name=_("Online handling suspended: suspected handling for others (vehicle)"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "An online decision makes the vehicle's year reach the office's number of drivers,"
            " other than the owner, who handled its records."
        ),
        audience=_("The vehicle's owner (a person, with or without an account)"),
        subject=_("Online handling suspended for %(plate)s"),
        body=_(
            "Within a year %(count)s drivers other than you handled the records of %(plate)s."
            " Its records cannot be handled online until an officer clears it: please go to the"
            " service hall of the vehicle management office."
        ),
        sms=_("%(count)s drivers handled %(plate)s in a year: online handling suspended."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + listing"),
        example={"count": 3, "plate": "新B·12345"},
    ),
    NoticeKind(
        code="violation.bound",
        name=_("Vehicle bound by a driver"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("A driver binds the vehicle with the one-time code sent to its owner."),
        audience=_("The vehicle's owner (a person with an account)"),
        subject=_("A driver bound your vehicle"),
        body=_("%(name)s can now handle the violations of your vehicle recorded from today."),
        dedup_text=_("kind + binding"),
        example=_HANDLED,
    ),
    NoticeKind(
        code="violation.fine_paid",
        name=_("Fine paid"),
        group=Group.VIOLATIONS,
        trigger=Trigger.EVENT,
        trigger_text=_("The payment of a decision's fine is credited."),
        audience=_("Who paid"),
        subject=_("Fine paid"),
        body=_("We received %(amount)s for decision %(number)s. Thank you."),
        dedup_text=_("kind + decision"),
        example={**_DECISION, "amount": "¥242.00"},
    ),
)

# The owner's consent code for binding a vehicle goes straight to the owner's phone.
register_sms(
    SmsText(
        code="violation.binding_code",
        sms=_(
            "%(name)s asks to bind your vehicle %(plate)s to handle its violations. If you agree,"
            " give them the code %(code)s (valid 10 minutes). If not, ignore this message."
        ),
        purpose=_("The owner's consent code when someone binds the owner's vehicle."),
        example={"name": "张*", "plate": "新B·12345", "code": "482913"},
    ),
)
