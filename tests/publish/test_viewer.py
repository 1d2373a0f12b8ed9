"""The span viewer: pure highlighting, the `view` command, and the pages in a real headless Chromium."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import lxml.html
import pyarrow.parquet as pq
import pytest

from conftest import REPO, run_cli
from ketamine_claims.publish.viewer import TYPE_COLOURS, document_page, highlight
from ketamine_claims.tables import parquet_relpath

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
)


def _claim(start: int, end: int, condition: str | None = None) -> dict:
    return {
        "claim_id": f"00000000000000aa-c{start}-{end}" + (f"-{condition}" if condition else ""),
        "start": start,
        "end": end,
        "claim_type": "efficacy",
        "verdict": "overstated" if condition else None,
    }


def _marks(fragment: str) -> tuple[list, str]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="p")
    return root.xpath(".//mark[@class='claim']"), root.text_content()


def test_highlight_gives_one_mark_per_claim_row_for_shared_nested_and_crossing_spans():
    text = "Ketamine works in hours & lasts for weeks."
    offset = 100
    claims = [
        _claim(100, 142, "depression"),  # whole segment
        _claim(100, 142, "ptsd"),  # same span, second condition
        _claim(109, 123),  # nested: "works in hours"
        _claim(118, 130),  # crosses the nested one: "hours & last"
    ]
    marks, plain = _marks(highlight(text, offset, claims, {c["claim_id"]: c["claim_id"] for c in claims}))
    assert plain == text
    assert sorted(m.get("data-claim-id") for m in marks) == sorted(c["claim_id"] for c in claims)
    root = lxml.html.fragment_fromstring(highlight(text, offset, claims, {c["claim_id"]: "" for c in claims}), create_parent="p")
    assert len(root.xpath(".//mark[@class='claim-cont']")) == 1  # the crossing span is continued once
    for claim in claims:
        assert _covered_text(root, claim["claim_id"]) == text[claim["start"] - offset : claim["end"] - offset]


def _covered_text(root, claim_id: str) -> str:
    """Text inside the claim's marks (its first piece and continuations), without double counting nested pieces."""
    out = []
    for node in root.iter():
        if node.tag != "mark" or node.get("data-claim-id") != claim_id:
            continue
        if any(a.tag == "mark" and a.get("data-claim-id") == claim_id for a in node.iterancestors()):
            continue
        out.append(node.text_content())
    return "".join(out)


def test_badges_of_rows_ending_together_are_merged_per_verdict_and_add_no_text():
    text = "Ketamine works in hours."
    claims = [_claim(0, 24, "depression"), _claim(0, 24, "ptsd"), _claim(0, 24, "anxiety_disorders")]
    claims[2]["verdict"] = "accurate"
    root = lxml.html.fragment_fromstring(highlight(text, 0, claims, {c["claim_id"]: "" for c in claims}), create_parent="p")
    assert root.text_content() == text
    assert [b.get("data-label") for b in root.xpath(".//span[@class='badge']")] == ["accurate", "overstated ×2"]
    assert len(root.xpath(".//span[@class='badges']")) == 1


def _mixed(colour: str, share: float = 0.35) -> tuple[float, ...]:
    """The highlight colour on white: colour mixed at share, as the page's CSS does."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(share * c + (1 - share) * 255 for c in rgb)


def test_frequent_claim_types_have_clearly_different_colours():
    frequent = ("efficacy", "safety", "comparative")
    for i, a in enumerate(frequent):
        for b in frequent[i + 1 :]:
            distance = sum((x - y) ** 2 for x, y in zip(_mixed(TYPE_COLOURS[a]), _mixed(TYPE_COLOURS[b]), strict=True)) ** 0.5
            assert distance > 60, (a, b, distance)
    assert len(set(TYPE_COLOURS.values())) == len(TYPE_COLOURS)


def test_auto_documents_show_their_flags_as_not_labelled():
    doc = {**_table("documents")[0], "commercial_intent": None, "machine_paraphrased": None, "keyword_stuffing": None}
    page = lxml.html.fromstring(document_page(doc, [], [], {}))
    meta = " ".join(p.text_content() for p in page.xpath("//p[@class='meta']"))
    assert "commercial_intent: not labelled" in meta and "null" not in meta


def test_highlight_escapes_html():
    marks, plain = _marks(highlight("<b>ketamine</b> & co", 0, [_claim(3, 11)], {_claim(3, 11)["claim_id"]: "a 'quote' <tag>"}))
    assert plain == "<b>ketamine</b> & co"
    assert marks[0].text_content() == "ketamine" and marks[0].get("title") == "a 'quote' <tag>"


def _table(name: str) -> list[dict]:
    return pq.read_table(REPO / "dataset" / parquet_relpath(name)).to_pylist()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = run_cli("view", "--out", str(out), root=REPO)
    assert result.returncode == 0, result.stderr
    return out


def test_view_writes_an_index_and_one_page_per_document_without_external_assets(site):
    doc_ids = [d["doc_id"] for d in _table("documents")]
    assert sorted(p.name for p in site.glob("*.html")) == sorted(["index.html", *(f"{d}.html" for d in doc_ids)])
    for page in site.glob("*.html"):
        tree = lxml.html.fromstring(page.read_bytes())
        for element, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for value in tree.xpath(f"//{element}/@{attribute}"):
                assert value.startswith("data:"), f"{page.name}: external {element} {value}"
        assert not tree.xpath("//style[contains(., '@import') or contains(., 'url(')]")


def test_view_of_one_document_and_of_an_unknown_one(tmp_path):
    doc_id = _table("documents")[0]["doc_id"]
    result = run_cli("view", "--doc", doc_id, "--out", str(tmp_path / "one"), root=REPO)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(["index.html", f"{doc_id}.html"])
    index = lxml.html.fromstring((tmp_path / "one" / "index.html").read_bytes())
    assert index.xpath("//a/@href") == [f"{doc_id}.html"]
    assert len(index.xpath("//tr")) == len(_table("documents")) + 1  # every document is listed

    full = tmp_path / "full"
    assert run_cli("view", "--out", str(full), root=REPO).returncode == 0
    assert run_cli("view", "--doc", doc_id, "--out", str(full), root=REPO).returncode == 0
    links = lxml.html.fromstring((full / "index.html").read_bytes()).xpath("//a/@href")
    assert sorted(links) == sorted(f"{d['doc_id']}.html" for d in _table("documents"))  # --doc did not shrink the index
    result = run_cli("view", "--doc", "ffffffffffffffff", "--out", str(tmp_path / "none"), root=REPO)
    assert result.returncode != 0 and "unknown doc_id(s) ffffffffffffffff" in result.stderr
    assert not (tmp_path / "none").exists()


@pytest.fixture(scope="module")
def browser(request):
    """Headless Chromium through chromedriver; installed with scripts/install-browser (apt) the first time it is needed,
    which prints what it installs (and any upgrade it must make) on the terminal before it does, not into pytest's capture."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            installed = subprocess.run([str(REPO / "scripts" / "install-browser")])
        assert installed.returncode == 0, "scripts/install-browser failed (its messages are above)"
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), "scripts/install-browser did not install chromium and chromedriver"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory() as profile:
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


def _errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@pytest.mark.browser
def test_browser_log_catches_a_script_error(browser, tmp_path):
    """The console check below can fail: a page with a broken script shows up as an error."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    assert any("undefinedFunction" in e["message"] for e in _errors(browser))


@pytest.mark.browser
def test_pages_in_chromium_show_every_claim_and_hide_boilerplate_on_toggle(browser, site, tmp_path):
    from selenium.webdriver.common.by import By

    claims_per_doc: dict[str, int] = {}
    for claim in _table("claims"):
        claims_per_doc[claim["doc_id"]] = claims_per_doc.get(claim["doc_id"], 0) + 1
    segments = _table("segments")
    browser.get((site / "index.html").as_uri())
    assert _errors(browser) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "a[href$='.html']")) == len(claims_per_doc)

    for doc in _table("documents"):
        browser.get((site / f"{doc['doc_id']}.html").as_uri())
        assert _errors(browser) == [], doc["doc_id"]
        assert len(browser.find_elements(By.CSS_SELECTOR, "mark.claim")) == claims_per_doc.get(doc["doc_id"], 0)
        boilerplate = browser.find_elements(By.CSS_SELECTOR, ".seg.boilerplate")
        content = browser.find_elements(By.CSS_SELECTOR, ".seg:not(.boilerplate)")
        assert len(boilerplate) == sum(s["is_boilerplate"] for s in segments if s["doc_id"] == doc["doc_id"])
        assert all(e.is_displayed() for e in boilerplate + content)
        browser.find_element(By.ID, "toggle-boilerplate").click()
        assert not any(e.is_displayed() for e in boilerplate)
        assert all(e.is_displayed() for e in content)
        browser.find_element(By.ID, "toggle-boilerplate").click()
        assert all(e.is_displayed() for e in boilerplate)
        assert _errors(browser) == [], doc["doc_id"]

    shot = tmp_path / "page.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 10_000


@pytest.mark.browser
def test_tooltip_holds_labels_rationale_and_references(browser, site):
    from selenium.webdriver.common.by import By

    references = {r["ref_id"]: r for r in _table("references")}
    link = _table("claim_evidence")[0]
    claim = next(c for c in _table("claims") if c["claim_id"] == link["claim_id"])
    browser.get((site / f"{claim['doc_id']}.html").as_uri())
    mark = browser.find_element(By.CSS_SELECTOR, f"mark.claim[data-claim-id='{claim['claim_id']}']")
    tooltip = mark.get_attribute("title")
    labels = ("claim_type", "condition", "intervention", "hedged", "attribution", "verdict", "in_boilerplate", "label_source")
    for column in labels:
        assert f"{column}: {'null' if claim[column] is None else claim[column]}" in tooltip
    assert claim["rationale"] in tooltip
    assert f"{link['ref_id']}: {references[link['ref_id']]['citation']}" in tooltip
    assert mark.get_attribute("data-verdict") == claim["verdict"]
