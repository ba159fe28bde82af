"""Browser-test fixtures (a pytest plugin loaded by tests/conftest.py, so there is one
Playwright and one Chromium per test process): Playwright driving Debian's Chromium against
the live test server, and axe-core."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM = os.environ.get("VMO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("VMO_E2E_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts")
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still
# plain synchronous calls, which Django would otherwise refuse inside a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM} (required in CI)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, live_server):
    contexts = []

    def make(viewport=DESKTOP, locale="zh-CN", javascript=True, user_agent=None):
        # user_agent: a phone's, for pages that choose by it (the payment flows).
        extra = {"user_agent": user_agent} if user_agent else {}
        context = browser.new_context(
            viewport=viewport, locale=locale, java_script_enabled=javascript, **extra
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def assert_accessible(page, label: str) -> None:
    """Run axe-core on the page; fail listing every violation. Keeps a screenshot either way."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{label}.png"), full_page=True)
    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, f"{label}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
