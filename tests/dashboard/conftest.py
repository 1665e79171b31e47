"""Browser fixtures: Debian's Chromium through Playwright, and the embedded app on uvicorn."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from reactions_cli.demo import load_demo
from reactions_cli.embedded import build_embedded_app
from tests.conftest import REPO, unavailable
from tests.e2e.conftest import free_port, wait_ready
from tests.factories import make_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = REPO / "screenshots"
DEMO_DOCUMENTS = 6
PROCESS_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Site:
    """The embedded app serving the demo data: its base URL."""

    url: str

    def get(self, path: str) -> Any:
        """GET an API path as JSON."""
        response = httpx.get(f"{self.url}{path}", timeout=10)
        response.raise_for_status()
        return response.json()


def wait_until(check: Any, *, timeout: float, what: str) -> None:
    """Poll `check()` until it is true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """Chromium from /usr/bin (never downloaded); skipped locally, failed under CI=true. One per
    module: Playwright's sync API keeps an event loop running in the thread while it is open,
    which would break later tests that call `asyncio.run`."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python (pip install playwright)")
    if not CHROMIUM.exists():
        unavailable(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(factory: sessionmaker[Session], postgres_url: str) -> Iterator[Site]:
    """The embedded app (API, in-process worker, stream hub) on PostgreSQL, with the demo loaded."""
    settings = make_settings(database_url=postgres_url, redis_url=None, stream_heartbeat_s=1.0)
    app, sender, jobs = build_embedded_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    sender.start()
    thread.start()
    running = Site(url=f"http://127.0.0.1:{port}")
    try:
        wait_ready(running.url, {}, timeout=20)
        load_demo(jobs.factory, sender)
        wait_until(
            lambda: all(
                running.get(f"/v1/documents/{i}")["status"] == "processed"
                for i in range(1, DEMO_DOCUMENTS + 1)
            ),
            timeout=PROCESS_TIMEOUT_S,
            what="the demo documents to be processed",
        )
        yield running
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sender.stop()


@pytest.fixture
def page(browser: "Browser", site: Site) -> Iterator["Page"]:
    """A fresh browser page; any console error or uncaught exception fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    yield opened
    context.close()
    assert problems == [], f"browser errors: {problems}"


def screenshot(page: "Page", name: str) -> None:
    """Save a full-page screenshot under screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
