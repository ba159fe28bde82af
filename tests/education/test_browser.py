"""A driver with points studies the learn-to-reduce-points course in a real browser (Chinese,
phone size), with the server's clock moved honestly past each lesson's minimum, passes the
quiz, downloads the certificate and sees the lower points on /me/. axe on every page;
screenshots of the lesson, the quiz and the certificate (PDF rendered to PNG) are kept."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.browser import ARTIFACTS, PHONE, assert_accessible
from tests.education.helpers import driver, load_library
from vmo.education.models import Question, QuizAttempt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NOW = datetime(2025, 9, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "Correct-Horse-42"


def test_learn_to_reduce_points_in_the_browser(page_factory, live_server, tmp_path):
    load_library(tmp_path)
    with time_machine.travel(NOW, tick=False) as traveller:
        user, licence = driver(3)
        page = page_factory(viewport=PHONE)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_identifier", user.person.phone)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/me/")
        assert "3 / 12" in page.locator("main").inner_text()

        page.goto(live_server.url + "/learn/")
        assert_accessible(page, "education-index-zh-phone")
        page.locator("main a[href='/learn/c/reduce/']").click()
        page.locator("main form[action$='/start/'] button").click()
        page.wait_for_url("**/learn/c/reduce/")
        assert_accessible(page, "education-course-zh-phone")

        for code in ("r-01", "r-02"):
            page.locator(f"main a[href='/learn/c/reduce/{code}/']").click()
            page.wait_for_url(f"**/learn/c/reduce/{code}/")
            if code == "r-01":
                assert_accessible(page, "education-lesson-zh-phone")
                # Too soon: refused, and the page says how long the office's clock shows.
                page.locator("main form button[type=submit]").click()
                page.wait_for_url(f"**/learn/c/reduce/{code}/")
                assert "15" in page.locator(".messages").inner_text()
            traveller.shift(timedelta(minutes=15))
            page.locator("main form button[type=submit]").click()
            page.wait_for_url("**/learn/c/reduce/")

        page.locator("main a[href='/learn/c/reduce/quiz/']").click()
        page.wait_for_url("**/learn/c/reduce/quiz/")
        attempt = QuizAttempt.objects.get(enrolment__person=user.person)
        for question in Question.objects.filter(pk__in=attempt.question_ids):
            page.locator(f"label[for='q{question.pk}-{question.answer}']").click()
        assert_accessible(page, "education-quiz-zh-phone")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/learn/results/**")
        assert_accessible(page, "education-result-zh-phone")
        main = page.locator("main").inner_text()
        assert "100%" in main

        link = page.locator("main a[href$='.pdf']").first.get_attribute("href")
        response = page.request.get(live_server.url + link)
        assert response.status == 200 and response.body().startswith(b"%PDF")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / "education-certificate.pdf"
        pdf.write_bytes(response.body())
        if shutil.which("pdftoppm"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-singlefile",
                    str(pdf),
                    str(ARTIFACTS / "education-certificate"),
                ],
                check=True,
            )
            assert (ARTIFACTS / "education-certificate.png").stat().st_size > 10000

        page.goto(live_server.url + "/me/")
        assert "2 / 12" in page.locator("main").inner_text()
        page.goto(live_server.url + "/learn/warnings/")
        assert_accessible(page, "education-warnings-zh-phone")
