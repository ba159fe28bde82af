"""Security notices of the account: new sign-in, password changed, phone changed."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, SmsText, Trigger, register, register_sms

BOTH = (Channel.IN_APP, Channel.SMS)

register(
    NoticeKind(
        code="accounts.new_signin",
        name=_("New sign-in from a new device or browser"),
        group=Group.ACCOUNT,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "A sign-in to a citizen account from a browser or device never used by the account"
            " before (not the very first sign-in)."
        ),
        audience=_("The account holder"),
        subject=_("New sign-in to your account"),
        body=_(
            "Your account was signed in to on %(time)s from %(device)s. If this was not you,"
            " change your password and sign out everywhere at once."
        ),
        sms=_("New sign-in to your account at %(time)s. Not you? Change your password now."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + account + device"),
        example={"time": "2026-11-24 09:30", "device": "Chrome / Android"},
    ),
    NoticeKind(
        code="accounts.password_changed",
        name=_("Password changed"),
        group=Group.ACCOUNT,
        trigger=Trigger.EVENT,
        trigger_text=_("The account's password is changed (reset with a code)."),
        audience=_("The account holder"),
        subject=_("Your password was changed"),
        body=_(
            "The password of your account was changed on %(time)s and every session was ended."
            " If this was not you, call the office at once."
        ),
        sms=_("Your account password was changed at %(time)s. Not you? Call us at once."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + account + time"),
        example={"time": "2026-11-24 09:30"},
    ),
    NoticeKind(
        code="accounts.phone_changed",
        name=_("Phone number changed"),
        group=Group.ACCOUNT,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "The mobile number on record changes: the SMS goes to the OLD number, the message"
            " to the inbox."
        ),
        audience=_("The account holder, at the old number"),
        subject=_("Your mobile number was changed"),
        body=_(
            "The mobile number of your records was changed from %(old)s to %(new)s on %(time)s."
            " If this was not you, call the office at once."
        ),
        sms=_("Your mobile number on record was changed to %(new)s. Not you? Call us at once."),
        channels=BOTH,
        mandatory=True,
        dedup_text=_("kind + person + time"),
        example={"old": "139****5678", "new": "138****4321", "time": "2026-11-24 09:30"},
    ),
)


def _on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Connected here because this module is imported once at start-up; the rule is a service.
    from .services import signin_notice

    if request is not None and getattr(user, "is_citizen", False):
        signin_notice(user=user, user_agent=request.META.get("HTTP_USER_AGENT", ""))


user_logged_in.connect(_on_sign_in, dispatch_uid="vmo.accounts.signin_notice")

# One-time codes go straight to a phone (not notices), each with its own approved template.
register_sms(
    SmsText(
        code="code.signup",
        sms=_("Your sign-up code is %(code)s, valid for 10 minutes."),
        purpose=_("The code that proves the phone at sign-up."),
        example={"code": "482913"},
    ),
    SmsText(
        code="code.signup_taken",
        sms=_(
            "Someone tried to sign up with this number, which already has an account. Sign in, or reset your password. If it was not you, ignore this message."
        ),
        purpose=_("Sent instead of a code when the number already has an account."),
    ),
    SmsText(
        code="code.password_reset",
        sms=_(
            "Your password reset code is %(code)s, valid for 10 minutes. If you did not ask for it, ignore this message."
        ),
        purpose=_("The code that resets a forgotten password."),
        example={"code": "482913"},
    ),
)
