"""The holder hears of every check made with one of their codes."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

register(
    NoticeKind(
        code="checks.code_used",
        name=_("Someone checked your data with your check code"),
        group=Group.LICENCE,
        trigger=Trigger.EVENT,
        trigger_text=_("A checker enters one of the holder's check codes and sees its scope."),
        audience=_("The holder of the check code"),
        subject=_("Your check code was used"),
        body=_(
            "%(organisation)s checked your data with your check code on %(time)s, for: %(purpose)s."
            " If you did not give them the code, revoke it under My check codes."
        ),
        sms=_("Your check code was used at %(time)s. Not you? Revoke it under My check codes."),
        channels=(Channel.IN_APP, Channel.SMS),
        mandatory=True,
        dedup_text=_("kind + code + use number"),
        example={"organisation": "平安保险", "purpose": "车险报价", "time": "2026-11-24 09:30"},
    ),
)
