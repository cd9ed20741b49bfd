"""Browser tests: Debian's chromium driven by Playwright against a real server on 127.0.0.1.

They run when COREP_BROWSER_TESTS=1 (as in .ci/run); screenshots go to $COREP_TEST_OUTPUT
(default ./test-output) under screenshots/.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

BROWSER_TESTS_ON = os.environ.get("COREP_BROWSER_TESTS") == "1"
OUTPUT_DIR = Path(
    os.environ.get("COREP_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "test-output")
)


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason="browser tests run with COREP_BROWSER_TESTS=1 (as .ci/run does)")
    for item in items:
        if "browser" in item.keywords and not BROWSER_TESTS_ON:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "COREP_BROWSER_TESTS=1 but there is no chromium on PATH (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(_session_app):
    """The suite's app served by a real HTTP server in a thread, on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, _session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(chromium, live_server, app):
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    directory = OUTPUT_DIR / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, f"{name}: the screenshot looks empty"
        return path

    return take
