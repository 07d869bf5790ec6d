"""The headless Chromium the console's browser tests drive (Debian's package, through Playwright)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium is missing: apt-get install -y chromium")


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign ``username`` (password ``pw-<username>``, as the province harness makes them) in through the console's
    form and wait for the progress page."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/console/signin")
    page.fill("#username", username)
    page.fill("#password", f"pw-{username}")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base_url}/console/progress")
