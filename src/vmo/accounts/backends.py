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

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of each request, with person and licence in the same query
        (issue 13: they were three; every citizen page reads the person, the status pages the
        licence). The same checks as Django's: a missing or inactive user is nobody."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("person", "person__licence").get(
                pk=user_id
            )
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
