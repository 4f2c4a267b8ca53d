"""End to end in a real browser: `streamlit run dashboard/app.py` on a free port, reading the live API,
driven through Debian's chromium by Playwright (never a browser Playwright downloads). Each
page is loaded and must render without an exception; on Recommendations a user id is typed
and the recommended artists (the SDK's answer) must appear. Screenshots of every page go to
`dashboard/screenshots/` (gitignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from soundstream import SoundStreamClient
from soundstream.testing import LocalServerError, stop_process, wait_until_up

from tests.conftest import DASHBOARD, Server, free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = DASHBOARD / "screenshots"
PAGE_TIMEOUT_MS = 60_000
LOAD_ATTEMPTS = 4


@pytest.fixture(scope="module")
def dashboard(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by `streamlit run` for the live API; its URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "SOUNDSTREAM_API_URL": server.base_url}
    env.pop("SOUNDSTREAM_API_KEY", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                # From the repository's root, as a container or a person would start it.
                "dashboard/app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=DASHBOARD.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"

    def not_up() -> str | None:
        answer = httpx.get(f"{url}/_stcore/health", timeout=2).text
        return None if answer == "ok" else answer

    try:
        try:
            wait_until_up(process, not_up, timeout=60, name="streamlit", log=log)
        except LocalServerError as e:
            pytest.fail(str(e))
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless."""
    if not CHROMIUM.is_file():
        pytest.fail("no /usr/bin/chromium: apt-get install chromium", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


PICTURE_HOST = ".last.fm"
"""Where the data's artist pictures are: the one place outside the dashboard a page may name
(the cards fall back to their initials when it does not answer, as here)."""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    # Offline, as in CI: every request that leaves the machine is refused, and none but the
    # artist pictures may be made at all (no CDN at run time).
    outside: list[str] = []

    def refuse(route: Route) -> None:
        if not (urlsplit(route.request.url).hostname or "").endswith(PICTURE_HOST):
            outside.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), refuse)
    yield page
    assert not outside, f"the dashboard fetched from outside: {outside}"
    context.close()


def _settle(page: Page) -> None:
    """Wait until Streamlit has finished running the page's script."""
    try:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    except PlaywrightTimeoutError as e:
        _shoot(page, "timeout")
        raise AssertionError(f"{page.url} never finished running; see timeout.png") from e
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors


def _open(page: Page, url: str) -> None:
    """Load a page of the dashboard and wait for it to finish running.

    Chromium aborts the requests in flight with `net::ERR_NETWORK_CHANGED` whenever a network
    interface of the machine changes (containers of other jobs coming and going on a shared
    CI host), which breaks Streamlit's lazy loading of its own scripts from the local server.
    Such a load is retried; any other failure is the dashboard's.
    """
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        changed: list[str] = []

        def on_failed(request: Request, changed: list[str] = changed) -> None:
            if request.failure and "ERR_NETWORK_CHANGED" in request.failure:
                changed.append(request.url)

        page.on("requestfailed", on_failed)
        try:
            page.goto(url)
            _settle(page)
            return
        except (AssertionError, PlaywrightTimeoutError, PlaywrightError):
            if not changed or attempt == LOAD_ATTEMPTS:
                raise
            print(f"{url}: network changed during the load ({len(changed)} requests), retrying")
        finally:
            page.remove_listener("requestfailed", on_failed)


def _exactly(text: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(text)}$")


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    # Streamlit scrolls inside its main block, not the document: grow the window to the
    # block's height so that the screenshot holds the whole page.
    height = page.evaluate(
        "(document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    page.set_viewport_size({"width": 1400, "height": max(900, min(int(height), 8000))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# (url path, a heading the page must show, how many Plotly charts at least)
PAGES = [
    ("", "SoundStream overview", 3),
    ("recommendations", "Recommendations", 1),
    ("search", "Search artists", 0),
    ("tags", "Tags", 2),
    ("social", "Social graph", 3),
    ("long_tail", "The long tail", 2),
]


@pytest.mark.parametrize(("path", "heading", "charts"), PAGES)
def test_every_page_renders_in_chromium(
    dashboard: str, page: Page, path: str, heading: str, charts: int
) -> None:
    _open(page, f"{dashboard}/{path}")

    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    if charts:
        page.wait_for_selector(".js-plotly-plot")
        assert page.locator(".js-plotly-plot").count() >= charts
    _shoot(page, path or "overview")


def test_a_typed_user_id_shows_that_users_recommended_artists(
    dashboard: str, page: Page, sdk: SoundStreamClient
) -> None:
    _open(page, f"{dashboard}/recommendations")
    box = page.get_by_label("User id")
    box.fill("3")
    box.press("Enter")
    expect(page.get_by_text("User 3", exact=True)).to_be_visible()
    _settle(page)

    recs = sdk.recommendations.for_user(3, limit=12, strategy="hybrid")
    assert len(recs.items) == 12
    for rec in recs.items:
        expect(page.locator(".ss-name", has_text=_exactly(rec.name))).to_be_visible()
    # Nothing from user 2's list (the default) is left on screen.
    default = {r.name for r in sdk.recommendations.for_user(2, limit=12)}
    stale = default - {r.name for r in recs.items}
    for name in stale:
        expect(page.locator(".ss-name", has_text=_exactly(name))).to_have_count(0)
    # The first card's picture: the remote picture over the initials, as the browser sees it.
    first = recs.items[0]
    layers = page.locator(".ss-card", has=page.locator(".ss-name", has_text=_exactly(first.name)))
    background = layers.locator(".ss-pic").evaluate("e => getComputedStyle(e).backgroundImage")
    assert background.startswith('url("data:image/svg+xml;base64,') or (
        first.picture_url is not None
        and background.startswith(f'url("{first.picture_url}"), url("data:image/svg+xml;base64,')
    ), background
    # No <img> in the page failed to load (a broken image would show).
    broken = page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).length"
    )
    assert broken == 0
    _shoot(page, "recommendations-user-3")


def _download_rows(page: Page, label: str) -> tuple[str, list[dict[str, str]]]:
    """Click a download button; the file's suggested name and its rows as dicts."""
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return download.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def test_search_results_download_as_csv(
    dashboard: str, page: Page, sdk: SoundStreamClient, server: Server
) -> None:
    _open(page, f"{dashboard}/search")
    page.get_by_label("Name contains").fill("metal")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()

    hits = sdk.search.artists(name="metal", sort="relevance", limit=100)
    # The count of the new search, once it is on screen, says the rerun is done.
    expect(page.get_by_text(f"{hits.total:,} artists", exact=True)).to_be_visible()
    _settle(page)
    name, rows = _download_rows(page, f"Download all {hits.total:,} as CSV")

    assert name == "soundstream-artists.csv"
    assert [r["name"] for r in rows] == [h.name for h in hits]
    assert [int(r["plays"]) for r in rows] == [h.plays for h in hits]
    assert rows[0]["api"] == f"{server.base_url}/v1/artists/{hits.items[0].id}"
    assert "Metallica" in [r["name"] for r in rows]
    # No tag was asked for: no column of zeros.
    assert "tag_score" not in rows[0]
    _shoot(page, "search-metal")


def test_enter_in_the_tag_picker_picks_the_tag_typed_and_the_csv_holds_every_match(
    dashboard: str, page: Page, sdk: SoundStreamClient
) -> None:
    _open(page, f"{dashboard}/search")
    picker = page.get_by_test_id("stMultiSelect").first
    box = picker.locator("input")
    box.click()
    box.press_sequentially("rock", delay=50)
    box.press("Enter")
    box.press("Escape")

    # One chip, the tag typed: not the 60-odd fuzzy matches "Select all" used to add.
    chips = picker.locator('[aria-label="Selected values"] [data-tag]')
    expect(chips).to_have_count(1)
    expect(chips.first).to_have_attribute("aria-label", "rock")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    expect(page.get_by_text("2,248 artists", exact=True)).to_be_visible()
    _settle(page)
    _shoot(page, "search-rock")
    name, rows = _download_rows(page, "Download all 2,248 as CSV")

    every = list(sdk.search.iter_artists(tags_all=["rock"]))
    assert name == "soundstream-artists.csv"
    assert len(rows) == len(every) == 2_248  # not the 100 rows the table shows
    assert [int(r["artist_id"]) for r in rows] == [h.id for h in every]
    assert [int(r["tag_score"]) for r in rows] == [h.tag_score for h in every]
