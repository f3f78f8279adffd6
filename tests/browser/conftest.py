"""Browser tests: Playwright driving Debian's chromium, headless, against nodes served over
real HTTP on 127.0.0.1 (the in-process country of ``tests/conftest.py``).

Chromium is found at ``$JUKINET_CHROMIUM`` or as ``chromium`` on the PATH
(``scripts/system-packages`` installs it). A missing browser fails the run: these tests are
part of the suite, never skipped. Screenshots for the docs are written by
``save_screenshot`` when ``JUKINET_SCREENSHOTS`` names a folder (``make screenshots``).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from tests.conftest import OPERATOR_PASSWORD

from jukinet.nodes.operators import accounts


def chromium_path() -> str:
    found = os.environ.get("JUKINET_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.exit(
            "chromium is not installed: run scripts/system-packages (or set JUKINET_CHROMIUM)",
            returncode=3,
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServer:
    """An ASGI app served over plain HTTP on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def serve() -> Iterator[Callable[[Any], str]]:
    """``serve(app)`` → the base URL of ``app`` served for this test."""
    servers: list[LocalServer] = []

    def start(app: Any) -> str:
        servers.append(LocalServer(app))
        return servers[-1].url

    yield start
    for running in servers:
        running.stop()


def make_operator(node: Any, operator_id: str, roles: tuple[str, ...], name: str = "") -> str:
    """An account on ``node``; returns its TOTP secret (what the authenticator app holds)."""
    import hashlib

    matching = hashlib.sha256(f"{node.entry.id}/{operator_id}".encode()).hexdigest()[:12]
    made = accounts.create_account(
        accounts.CreateAccount(
            operator_id, matching.upper(), name or operator_id, roles, OPERATOR_PASSWORD
        ),
        "test-setup",
        node.operators,
    )
    return str(made.code_secret)


def current_code(node: Any, secret: str) -> str:
    """The one-time code the operator's app shows now (by the node's clock). A code is good
    once: advance the clock 30 s before signing the same operator in again."""
    return str(pyotp.TOTP(secret).at(node.operators.clock.now()))


def sign_in(
    page: Page, base: str, node: Any, operator_id: str, secret: str, terminal: str = "window-01"
) -> None:
    """Sign in through the sign-in screen, as a clerk would."""
    page.goto(f"{base}/ui/sign-in")
    page.fill("#operator_id", operator_id)
    page.fill("#password", OPERATOR_PASSWORD)
    page.fill("#code", current_code(node, secret))
    page.fill("#terminal", terminal)
    page.press("#terminal", "Enter")
    page.wait_for_url(f"{base}/ui/**")


def save_screenshot(page: Page, name: str) -> None:
    """Write ``<name>.png`` into ``$JUKINET_SCREENSHOTS`` when set (the docs' images)."""
    folder = os.environ.get("JUKINET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
