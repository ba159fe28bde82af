"""Sign-in with a phone number or an ID number (citizens) or a username (officers)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .selectors import user_by_identifier


class IdentityBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        identifier = username or kwargs.get("identifier")
        if not identifier or not password:
            return None
        user = user_by_identifier(identifier)
        if user is None:
            # Spend the same time as a real check so timing does not reveal who has an account.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
