"""Writes of accounts: real-name sign-up, identity proofing, password reset, sessions, officers,
API tokens.

Each service is one transaction and writes history. History names which fields changed and
never holds a phone number or an ID number.
"""

from .access import (
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
    officer_create,
    sessions_end_everywhere,
)
from .common import (
    ADDRESS_LIMITS,
    CODE_HOURLY_LIMIT,
    CODE_MAX_ATTEMPTS,
    CODE_MIN_INTERVAL,
    CODE_TTL,
    SIGNIN_IP_LIMIT,
    SIGNIN_IP_WINDOW,
    address_attempt_record,
    address_attempts_exhausted,
    signin_attempt_record,
)
from .notices import account_phone_change, signin_notice
from .reset import codes_purge, password_reset_complete, password_reset_start
from .signup import ALREADY_REGISTERED, PHONE_TAKEN, signup_complete, signup_start

__all__ = [
    "ADDRESS_LIMITS",
    "ALREADY_REGISTERED",
    "CODE_HOURLY_LIMIT",
    "CODE_MAX_ATTEMPTS",
    "CODE_MIN_INTERVAL",
    "CODE_TTL",
    "PHONE_TAKEN",
    "SIGNIN_IP_LIMIT",
    "SIGNIN_IP_WINDOW",
    "account_phone_change",
    "address_attempt_record",
    "address_attempts_exhausted",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_revoke_all",
    "codes_purge",
    "officer_create",
    "password_reset_complete",
    "password_reset_start",
    "sessions_end_everywhere",
    "signin_attempt_record",
    "signin_notice",
    "signup_complete",
    "signup_start",
]
