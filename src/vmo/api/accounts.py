"""Sign-up and sign-in for API clients: real-name sign-up with an SMS code, and bearer tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from vmo.accounts import selectors as account_selectors
from vmo.accounts.services import (
    api_token_create,
    signin_attempt_record,
    signup_complete,
    signup_start,
)
from vmo.core import clock
from vmo.core.client_address import client_ip

from .auth import client_throttle
from .errors import ApiError
from .schemas import ErrorOut, SignupStartIn, SignupStartOut, SignupVerifyIn, TokenIn, TokenOut

router = Router(tags=["sign-up and sign-in"], auth=None)

TOKEN_NAME_AT_SIGNUP = "sign-up"


@router.post(
    "/token",
    response={201: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=client_throttle("auth-token", "10/m"),
    summary="Get a bearer token with an identifier and password",
)
def token_create(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, object]]:
    """Sign in with your mobile number or ID number and password. Five wrong passwords lock the
    account for 30 minutes, as on the sign-in page. The token is valid for 30 days."""
    if not signin_attempt_record(client_ip=client_ip(request)):
        raise ApiError(
            429,
            "throttled",
            _("Too many sign-in attempts from your address. Please try again later."),
        )
    user = authenticate(request, identifier=payload.identifier, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in the API's own shape instead of the lockout page that axes' middleware would render.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise ApiError(
            429, "locked_out", _("Too many wrong passwords. This account is locked for 30 minutes.")
        )
    if user is not None and not getattr(user, "is_citizen", False):
        # Officers sign in with a second factor; a token would step around it. Their right
        # password answers as a wrong one, so this cannot confirm an officer's password.
        user_login_failed.send(
            sender=__name__, credentials={"identifier": payload.identifier}, request=request
        )
        user = None
    if user is None:
        raise ApiError(
            401, "invalid_credentials", _("The mobile number, ID number or password is wrong.")
        )
    raw, token = api_token_create(user=user, name=payload.name)
    return 201, {"token": raw, "name": token.name, "expires_at": clock.local(token.expires_at)}


@router.post(
    "/signup",
    response={202: SignupStartOut, 422: ErrorOut, 429: ErrorOut},
    throttle=client_throttle("auth-signup", "5/m"),
    summary="Start a real-name sign-up: a code is sent by SMS",
)
def signup_begin(request: HttpRequest, payload: SignupStartIn) -> tuple[int, dict[str, object]]:
    """Your name and ID number are checked against the records, and a six-digit code is sent to
    the mobile number. Every problem is listed at once."""
    code = signup_start(name=payload.name, id_number=payload.id_number, phone=payload.phone)
    return 202, {"code_id": code.pk, "expires_at": clock.local(code.expires_at)}


@router.post(
    "/signup/verify",
    response={201: TokenOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=client_throttle("auth-signup-verify", "10/m"),
    summary="Finish the sign-up with the SMS code and a password; returns a token",
)
def signup_finish(request: HttpRequest, payload: SignupVerifyIn) -> tuple[int, dict[str, object]]:
    """A `code_id` that no sign-up was given is a 404; otherwise every problem with the code and
    the password is listed at once (422)."""
    if not account_selectors.signup_code_exists(payload.code_id):
        raise ApiError(
            404, "not_found", _("No sign-up has this code id: start again."), field="code_id"
        )
    user = signup_complete(
        code_id=payload.code_id,
        code=payload.code,
        password=payload.password,
        password_confirm=payload.password_confirm,
    )
    raw, token = api_token_create(user=user, name=TOKEN_NAME_AT_SIGNUP)
    return 201, {"token": raw, "name": token.name, "expires_at": clock.local(token.expires_at)}
