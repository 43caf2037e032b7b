"""The dbt documentation site renders in a real browser (headless Chromium driven by Playwright).

`dbt docs generate` on the sample build, the site served on localhost, the mart's page
opened: its description, its columns with their descriptions and the lineage graph must
appear. A screenshot of each is saved under build/test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import PROJECT_DIR, query, run_dbt

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No network, no first-run work: the machine's network is closed and the test must not wait on it.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_DIR / "build" / "test-artifacts"
MART = "model.activity_tracking.activity_tracking"


@pytest.fixture(scope="module")
def site(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The generated documentation site, served on localhost; yields its address."""
    work_dir = tmp_path_factory.mktemp("docs_site")
    result = run_dbt(["docs", "generate"], sample_build, work_dir)
    assert result.returncode == 0, result.stdout
    handler = functools.partial(_QuietHandler, directory=str(work_dir / "target"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def mart_page(site: str, browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{site}/#!/model/{MART}")
    try:
        yield page
    finally:
        page.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_the_mart_page_shows_its_description_and_described_columns(
    mart_page: Page, sample_build: Path
) -> None:
    description = mart_page.locator("section", has=mart_page.locator("#description"))
    expect(description).to_contain_text("The Activity Tracking mart: one row per tracking")
    columns = mart_page.locator("section", has=mart_page.locator("#columns"))
    # each column with its description, from the shared docs blocks
    login = columns.locator("tr.column-row").filter(has_text="candidateLogin")
    expect(login).to_contain_text("Learner login (unique on the platform).")
    [(mart_columns,)] = query(
        sample_build, "select count(*) from information_schema.columns where table_name = 'activity_tracking'"
    )
    expect(columns.locator("tr.column-row")).to_have_count(mart_columns)
    screenshot(mart_page, "docs_activity_tracking.png")


def lineage_labels(page: Page) -> set[str]:
    """The labels of the nodes of the page's lineage graph, once opened."""
    page.locator('[title="View Lineage Graph"]').click()
    panel = page.locator(".launcher-content")
    expect(panel).to_contain_text("Lineage Graph")
    expect(panel.locator("canvas").first).to_be_visible()
    # the graph is drawn on a canvas: read its nodes from the graph library behind it
    labels = page.evaluate(
        "() => [...document.querySelectorAll('.__________cytoscape_container')]"
        ".flatMap(element => element._cyreg && element._cyreg.cy ? "
        "element._cyreg.cy.nodes().map(node => node.data('label')) : [])"
    )
    return set(labels)


def test_the_lineage_graph_shows_the_mart_and_its_neighbours(mart_page: Page) -> None:
    labels = lineage_labels(mart_page)
    assert {"int_trackings_statused", "activity_tracking_export", "Activity Tracking dashboard"} <= labels
    screenshot(mart_page, "docs_activity_tracking_lineage.png")


def test_the_lineage_starts_at_the_lms_source(site: str, browser: Browser) -> None:
    """The raw table's page: the lms source feeds its base model (docs/using.md, "Point it at
    your data")."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{site}/#!/source/source.activity_tracking.lms.trackings")
        expect(page.locator("body")).to_contain_text("lms.trackings")
        labels = lineage_labels(page)
        assert {"lms.trackings", "base_lms__trackings"} <= labels, labels
        screenshot(page, "docs_lms_trackings_lineage.png")
    finally:
        page.close()
