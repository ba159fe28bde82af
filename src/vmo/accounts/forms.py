"""Forms check the shape of what was typed; the services check it against the records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vmo.registry import validators

from .validators import validate_real_name


class TelInput(forms.TextInput):
    input_type = "tel"


class AccessibleForm(forms.Form):
    """Ties hints to their inputs and marks invalid inputs for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                # Django names the help text "<id>_helptext" (includes/field.html renders it so).
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Verification code"),
        max_length=6,
        help_text=_("The 6 digits in the text message we sent you."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits, and not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    return password, confirm


class SignupForm(AccessibleForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=30,
        help_text=_("As on your resident ID card."),
        validators=[validate_real_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("18 characters on your resident ID card."),
        validators=[validators.validate_id_number],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We send a verification code to this number."),
        validators=[validators.validate_mobile_phone],
        widget=TelInput(attrs={"autocomplete": "tel-national"}),
    )


class CodePasswordForm(AccessibleForm):
    """Step two of sign-up and of password reset: the texted code and a new password."""

    code = _code_field()
    password, password_confirm = _new_password_fields()


class LoginForm(AccessibleForm):
    identifier = forms.CharField(
        label=_("Mobile number or ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OfficerLoginForm(AccessibleForm):
    identifier = forms.CharField(
        label=_("Username"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Authenticator code"),
        max_length=6,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


class PasswordResetForm(AccessibleForm):
    identifier = forms.CharField(
        label=_("Mobile number or ID number"),
        max_length=40,
        help_text=_("Of your account. We text a code to the account's mobile number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class IdentitySearchForm(AccessibleForm):
    id_number = forms.CharField(
        label=_("ID number on the card shown"),
        max_length=18,
        validators=[validators.validate_id_number],
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
