"""A real demo server for the browser tests: `kotacerdas demo --no-serve` then `kotacerdas serve`.

The same two steps a user runs, on a fresh SQLite file; Chromium is Debian's (/usr/bin/chromium).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BIN = Path(sys.executable).parent


@dataclass
class DemoServer:
    url: str
    logins: dict[str, str]  # username -> password


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kotacerdas serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env["KOTACERDAS_DATA_DIR"] = str(tmp_path_factory.mktemp("demo-var"))
    env.pop("KOTACERDAS_FAST_PASSWORD_HASHER", None)  # the real argon2 path
    seeded = subprocess.run(
        [BIN / "kotacerdas", "demo", "--no-serve"], env=env, capture_output=True, text=True, check=True
    )
    logins = dict(re.findall(r"^\s+\w+\s+([\w-]+)\s+/ (\S+)$", seeded.stdout, re.M))
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "kotacerdas", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [BIN / "kotacerdas", "worker", "--interval", "0.5"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/api/pillars", server)
        yield DemoServer(url, logins)
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def csp_violations(page: Any) -> list[str]:
    """Collect the console's Content-Security-Policy refusals of this page (and its later navigations)."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    return found


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A Chromium page; any Content-Security-Policy refusal during the test fails it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    refused = csp_violations(page)
    yield page
    context.close()
    assert not refused, "the Content-Security-Policy refused something:\n" + "\n".join(refused)


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def sign_in(page: Any, server: DemoServer, username: str) -> None:
    """Sign in through the login form (signing out first if someone is signed in)."""
    page.context.clear_cookies()
    page.goto(server.url + "/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", server.logins[username])
    page.click("button[type=submit].primary")
    page.wait_for_selector('[data-testid="whoami"]')
