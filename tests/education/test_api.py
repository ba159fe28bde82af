"""Calling the API directly skips nothing: the server's timer, the nonce, once-only answers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.education.helpers import driver, load_library, right_answers
from vmo.education.models import QuizAttempt, StudyAttempt
from vmo.registry.selectors import points_in_cycle

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_api_course_through_to_reduction(client, tmp_path):
    load_library(tmp_path)
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        assert client.get("/api/v1/learn/courses").status_code == 200
        enrolment = _post(client, "/api/v1/learn/courses/reduce/start").json()
        base = f"/api/v1/learn/enrolments/{enrolment['id']}"
        # Skipping straight to the quiz: refused.
        assert _post(client, f"{base}/quiz").status_code == 409
        for code in ("r-01", "r-02"):
            assert _post(client, f"{base}/lessons/{code}/open").status_code == 200
            refused = _post(client, f"{base}/lessons/{code}/done", {"seconds": 9999})
            assert refused.status_code == 409  # a client-sent duration means nothing
            traveller.shift(timedelta(minutes=15))
            assert _post(client, f"{base}/lessons/{code}/done").json()["completed"]
        quiz = _post(client, f"{base}/quiz").json()
        attempt = QuizAttempt.objects.get(nonce=quiz["nonce"])
        answers = {"answers": right_answers(attempt)}
        result = _post(client, f"/api/v1/learn/quiz/{quiz['nonce']}/answers", answers)
        assert result.status_code == 200 and result.json()["passed"]
        replay = _post(client, f"/api/v1/learn/quiz/{quiz['nonce']}/answers", answers)
        assert replay.status_code == 409
        again = _post(client, f"{base}/reduction")
        assert again.status_code == 409
        assert points_in_cycle(licence) == 2
        assert StudyAttempt.objects.filter(person=user.person).count() == 5
        overview = client.get("/api/v1/learn/overview").json()
        assert overview["reduced_in_cycle"] == 1


def test_other_peoples_enrolments_are_404(client, tmp_path):
    load_library(tmp_path)
    with time_machine.travel(NOW, tick=False):
        owner, _ = driver(3)
        client.force_login(owner)
        enrolment = _post(client, "/api/v1/learn/courses/reduce/start").json()
        other, _ = driver(3)
        client.force_login(other)
        response = _post(client, f"/api/v1/learn/enrolments/{enrolment['id']}/quiz")
        assert response.status_code == 404
