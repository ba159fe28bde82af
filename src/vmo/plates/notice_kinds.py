"""Notices of plate selection: the reminder before a reserved number is released, and the
release itself (R164 Art 43, the preselected number's expiry)."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

EXAMPLE = {"number": "新B·Q1234", "date": "2025-03-21"}

register(
    NoticeKind(
        code="plates.reservation_expiring",
        name=_("Reserved plate number about to be released"),
        group=Group.VEHICLE,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "A daily scan finds reserved numbers a few days before their last day kept."
        ),
        subject=_("Your reserved number %(number)s is kept until %(date)s"),
        body=_(
            "The plate number %(number)s reserved for your new vehicle is kept until %(date)s."
            " Register the vehicle by then, or the number goes back to the pool."
        ),
        sms=_(
            "Your reserved plate number %(number)s is kept until %(date)s. Register the vehicle by then."
        ),
        channels=(Channel.IN_APP, Channel.SMS),
        example=EXAMPLE,
    ),
    NoticeKind(
        code="plates.reservation_released",
        name=_("Reserved plate number released"),
        group=Group.VEHICLE,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "A daily scan releases reserved numbers not used at registration in time;"
            " the office may also release one."
        ),
        subject=_("Your reserved number %(number)s has been released"),
        body=_(
            "The plate number %(number)s, kept for your new vehicle until %(date)s, has gone back"
            " to the pool. You may choose a number again."
        ),
        sms=_("Your reserved plate number %(number)s has been released. You may choose again."),
        channels=(Channel.IN_APP, Channel.SMS),
        example=EXAMPLE,
    ),
)
