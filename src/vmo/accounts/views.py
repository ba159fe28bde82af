"""Sign-up, sign-in and sign-out pages. Thin: parse the form, call one service, render."""

from __future__ import annotations

from typing import Any

import django_otp
from axes.helpers import get_client_username
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from vmo.core.client_address import client_ip
from vmo.core.masking import mask_phone
from vmo.registry.validators import normalise_phone

from . import selectors, services
from .forms import CodePasswordForm, LoginForm, OfficerLoginForm, PasswordResetForm, SignupForm

IDENTITY_BACKEND = "vmo.accounts.backends.IdentityBackend"
SIGNUP_SESSION_KEY = "accounts.signup"
RESET_SESSION_KEY = "accounts.reset"

TOO_MANY_ATTEMPTS = _(
    "Too many sign-in attempts from your network. Please wait 5 minutes and try again."
)
TOO_MANY_REQUESTS = _("Too many requests from your network. Please wait 10 minutes and try again.")


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _form(form_class: type, request: HttpRequest) -> Any:
    return form_class(request.POST) if request.method == "POST" else form_class()


def _sign_in_allowed(request: HttpRequest, form: Any) -> bool:
    if services.signin_attempt_record(client_ip=client_ip(request)):
        return True
    form.add_error(None, TOO_MANY_ATTEMPTS)
    return False


def _address_allowed(request: HttpRequest, form: Any, action: str) -> bool:
    if services.address_attempt_record(action=action, client_ip=client_ip(request)):
        return True
    form.add_error(None, TOO_MANY_REQUESTS)
    return False


def _forget_failures(request: HttpRequest, identifier: str) -> None:
    # Axes resets by the signed-in username; a citizen typed a phone or ID number instead.
    key = get_client_username(request, {"identifier": identifier})
    if key:
        axes_reset(username=key)


# --- Sign-up --------------------------------------------------------------------------------


@sensitive_post_parameters("id_number", "phone")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = _form(SignupForm, request)
    status = 200
    if request.method == "POST" and not _address_allowed(request, form, "signup"):
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            code = services.signup_start(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            phone = mask_phone(normalise_phone(form.cleaned_data["phone"]))
            request.session[SIGNUP_SESSION_KEY] = {"code_id": code.pk, "phone": phone}
            return redirect("accounts:signup_verify")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@sensitive_post_parameters("code", "password", "password_confirm")
@require_http_methods(["GET", "POST"])
def signup_verify(request: HttpRequest) -> HttpResponse:
    state = request.session.get(SIGNUP_SESSION_KEY)
    if not state:
        messages.info(request, _("Please enter your details first."))
        return redirect("accounts:signup")
    form = _form(CodePasswordForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signup_complete(code_id=state["code_id"], **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(SIGNUP_SESSION_KEY, None)
            login(request, user, backend=IDENTITY_BACKEND)
            if user.person_id is None:
                messages.success(
                    request,
                    _(
                        "Your account has been created. Before it shows your records, please verify who you are."
                    ),
                )
                return redirect("accounts:identity")
            messages.success(request, _("Your account has been created and you are signed in."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup_verify.html", {"form": form, "phone": state["phone"]})


# --- Sign-in and sign-out -------------------------------------------------------------------


@sensitive_post_parameters("identifier", "password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = _form(LoginForm, request)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        if not _sign_in_allowed(request, form):
            status = 429
        else:
            # A locked identity gets None here too; AxesMiddleware then answers with locked.html.
            user = authenticate(
                request, identifier=identifier, password=form.cleaned_data["password"]
            )
            if user is not None and user.is_officer:
                # An officer's right password answers exactly as a wrong one (finding 9), and
                # counts towards the lockout: this page must not confirm officers' passwords.
                user_login_failed.send(
                    sender=__name__, credentials={"identifier": identifier}, request=request
                )
                user = None
            if user is None:
                form.add_error(
                    None,
                    _("The mobile number or ID number and the password do not match any account."),
                )
            else:
                login(request, user)
                _forget_failures(request, identifier)
                return redirect(_next_url(request, settings.LOGIN_REDIRECT_URL))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


def _verified_device(user: Any, token: str) -> Any:
    for device in django_otp.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, token.strip())
        if verified is not None:
            return verified
    return None


@sensitive_post_parameters("identifier", "password", "otp_token")
@require_http_methods(["GET", "POST"])
def officer_login(request: HttpRequest) -> HttpResponse:
    form = _form(OfficerLoginForm, request)
    status = 200
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        if not _sign_in_allowed(request, form):
            status = 429
        else:
            user = authenticate(
                request, identifier=identifier, password=form.cleaned_data["password"]
            )
            if user is not None and not user.is_officer:
                # Likewise a citizen's right password here answers as a wrong one.
                user_login_failed.send(
                    sender=__name__, credentials={"identifier": identifier}, request=request
                )
                user = None
            device = (
                _verified_device(user, form.cleaned_data["otp_token"]) if user is not None else None
            )
            if device is None:
                if user is not None:
                    # A right password with a wrong code still counts towards the lockout.
                    user_login_failed.send(
                        sender=__name__, credentials={"identifier": identifier}, request=request
                    )
                form.add_error(None, _("The username, password or authenticator code is wrong."))
            else:
                login(request, user)
                django_otp.login(request, device)
                _forget_failures(request, identifier)
                return redirect(_next_url(request, "office:home"))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/officer_login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.sessions_end_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect("accounts:login")


# --- Password reset -------------------------------------------------------------------------


@sensitive_post_parameters("identifier")
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = _form(PasswordResetForm, request)
    status = 200
    if request.method == "POST" and not _address_allowed(request, form, "reset"):
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            code = services.password_reset_start(identifier=form.cleaned_data["identifier"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[RESET_SESSION_KEY] = {"code_id": code.pk}
            return redirect("accounts:password_reset_verify")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@sensitive_post_parameters("code", "password", "password_confirm")
@require_http_methods(["GET", "POST"])
def password_reset_verify(request: HttpRequest) -> HttpResponse:
    state = request.session.get(RESET_SESSION_KEY)
    if not state:
        messages.info(request, _("Please enter your mobile number or ID number first."))
        return redirect("accounts:password_reset")
    form = _form(CodePasswordForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_reset_complete(code_id=state["code_id"], **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            # Proving the phone again is reason enough to lift a sign-in lock.
            _forget_failures(request, user.username)
            messages.success(
                request, _("Your password has been changed. Please sign in with the new password.")
            )
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_verify.html", {"form": form})


# --- The account page: sessions and API tokens ----------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    tokens = selectors.api_tokens_of(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/account.html", {"tokens": tokens})


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(user=request.user, token_id=pk)  # type: ignore[arg-type]
    except ValidationError:
        raise Http404 from None  # someone else's token, or none: nothing to tell
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:account")
