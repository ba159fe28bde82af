"""The request a signed-in page or API operation receives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User


class SignedInRequest(HttpRequest):
    """For type checkers only: a view behind `login_required`, an officer check or API
    authentication is only ever called with a signed-in `User`, never `AnonymousUser`."""

    user: User
