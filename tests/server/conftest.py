"""Server tests run on both engines: ``database_url`` (SQLite and a throw-away PostgreSQL cluster, one per session)
lives in ``tests/conftest.py``, shared with ``tests/cycle``.

The cluster, the live server, the fault proxy and the province harness are in ``tests/builders`` (``postgres.py``,
``loopback.py``, ``province.py``). This folder has no ``__init__.py`` on purpose: a package here would be named
``server`` and shadow the real ``server`` package.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.builders.chromium import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for one test module (module scope: Playwright's sync API allows one instance at a time, and
    a module that drives it inline must not find another running)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page at the desk's screen size, 1366×768, in Vietnamese."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    yield context.new_page()
    context.close()
