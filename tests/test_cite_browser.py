"""The "Cite this document" box in a real browser (Debian's Chromium via Playwright):
copy buttons appear and copy the processor's text with JavaScript, and stay out of the
way without it while the citation remains readable and selectable."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.build import build_site
from edition.render import BuildContext

ROOT = Path(__file__).resolve().parent.parent
PAGE = "documents/wilson-119711.html"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cite-site") / "site"
    build_site(BuildContext(tei_dir=ROOT / "tei", out_dir=out, base_url="https://edition.example.org/"))
    return out


def expected_note(site: Path) -> str:
    return (site / "cite" / "wilson-119711.chicago.txt").read_text(encoding="utf-8").split("\n\n")[0].strip()


def test_copy_button_copies_the_chicago_note(browser, server: str, site: Path) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + PAGE, wait_until="load")
        note_button = page.locator("button.cite-copy[data-copy='chicago-note']")
        bib_button = page.locator("button.cite-copy[data-copy='chicago-bibliography']")
        assert note_button.is_visible() and bib_button.is_visible()
        note_button.click()
        page.wait_for_function("document.querySelector(\"button[data-copy='chicago-note']\").textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == expected_note(site)
        bib_button.click()
        page.wait_for_function("document.querySelector(\"button[data-copy='chicago-bibliography']\").textContent === 'Copied'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Radmanesh. “Letter to the CPSU Central Committee") and "Translated by Gary Goldberg." in copied
        assert errors == []
    finally:
        context.close()


def test_without_javascript_the_citation_is_there_and_the_buttons_are_not(browser, server: str, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + PAGE, wait_until="load")
        assert page.locator("button.cite-copy").count() == 2
        assert not page.locator("button.cite-copy").first.is_visible()
        assert page.locator("#chicago-note").inner_text().strip() == expected_note(site)
        downloads = page.locator("section#cite p.cite-downloads a")
        hrefs = [downloads.nth(i).get_attribute("href") for i in range(downloads.count())]
        assert sorted(hrefs) == [f"../cite/wilson-119711.{ext}" for ext in ("bib", "json", "ris")]
        for href in hrefs:
            assert page.request.get(server + "documents/" + href).ok, href
    finally:
        context.close()
