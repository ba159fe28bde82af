import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from tests.factories import CitizenFactory
from vmo.api.auth import session_auth
from vmo.api.errors import ApiError

pytestmark = pytest.mark.django_db


def request_with_session(method: str, user, **extra):
    factory = RequestFactory(enforce_csrf_checks=True)
    request = getattr(factory, method)("/api/v1/me/status", **extra)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"
    request.user = user
    return request


def test_session_get_needs_no_csrf_token():
    citizen = CitizenFactory()
    assert session_auth(request_with_session("get", citizen)) == citizen


def test_session_post_without_csrf_token_is_refused_in_the_error_shape():
    with pytest.raises(ApiError) as refused:
        session_auth(request_with_session("post", CitizenFactory()))
    assert (refused.value.status, refused.value.code) == (403, "csrf_failed")


def test_no_session_cookie_means_no_csrf_check_and_no_user():
    request = RequestFactory(enforce_csrf_checks=True).post("/api/v1/me/status")
    request.user = AnonymousUser()
    assert session_auth(request) is None
