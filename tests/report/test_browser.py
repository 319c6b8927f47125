"""The report in a real browser: Debian's headless Chromium driven by Selenium (``make browser``
installs chromium, chromium-driver and axe-core). For each kind of report — the accurate-mode
consultation sample, k-anonymity, DP, a refusal — the page must load with no console message
and no network request, show every section and chart, pass axe-core with no serious or critical
violation, and show the same figures as report.json. A screenshot of each goes to test-artifacts/.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anonymizer.report.format import format_value, lookup
from tests.report._releases import ROOT, report_json

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(
    os.environ.get(
        "AXE_CORE_JS", Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1100,900",
]  # fmt: skip
SECTIONS = ["verdict", "input", "detection", "transformations", "kanon", "dp", "appi", "provenance"]
CHARTS = {"soudan": 2, "kaigo": 2, "dp": 1, "refusal": 2}  # soudan has a k-anonymity step


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER, AXE) if not p.is_file()]
    if missing:
        pytest.fail(f"not installed: {', '.join(missing)} — run `make browser`")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never look for drivers online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield d
    d.quit()


@pytest.fixture(params=list(CHARTS))
def page(request, soudan_release, kaigo_release, dp_release, refusal) -> tuple[str, Path, dict]:
    if request.param == "refusal":
        return (
            "refusal",
            refusal.with_suffix(".html"),
            json.loads(refusal.read_text(encoding="utf-8")),
        )
    release = {"soudan": soudan_release, "kaigo": kaigo_release, "dp": dp_release}[request.param]
    return request.param, release / "report.html", report_json(release)


def _open(driver: Any, path: Path) -> tuple[list[dict], list[str]]:
    """Load the page; (console entries, URLs of every network event)."""
    driver.get_log("browser"), driver.get_log("performance")  # drain the previous page's
    driver.get(path.as_uri())
    console = driver.get_log("browser")
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"].startswith("Network."):
            params = msg.get("params", {})
            url = (
                params.get("request", {}).get("url")
                or params.get("response", {}).get("url")
                or params.get("url")
            )
            if url:
                urls.append(url)
    return console, urls


def _screenshot(driver: Any, name: str) -> Path:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1100, "height": min(int(height), 16000),
                            "deviceScaleFactor": 1, "mobile": False})  # fmt: skip
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"report-{name}.png"
    target.write_bytes(base64.b64decode(shot["data"]))
    return target


def test_page_in_chromium(driver, page):
    name, path, report = page
    console, urls = _open(driver, path)
    assert console == [], console  # no error, no CSP violation, nothing
    # the page itself and nothing else ("data:," is the browser's blank start page)
    assert set(urls) - {"data:,"} == {path.as_uri()}, urls

    assert driver.execute_script("return document.documentElement.lang") == "ja"
    for section in SECTIONS:
        heading = driver.find_element("id", section)
        assert heading.tag_name == "h2" and heading.is_displayed() and heading.text
    charts = driver.find_elements("css selector", "figure svg[role='img']")
    assert len(charts) == CHARTS[name]
    for chart in charts:
        assert (
            chart.get_attribute("aria-label")
            and chart.size["width"] > 300
            and chart.size["height"] > 150
        )
        # the chart's text alternative: the figure has a caption and a data table follows it
        assert chart.find_element("xpath", "./ancestor::figure/figcaption").text
        assert chart.find_element(
            "xpath", "./ancestor::figure/following-sibling::table[1]/caption"
        ).text

    figures = driver.execute_script(
        "return [...document.querySelectorAll('span.fig')]"
        ".map(e => [e.dataset.field, e.dataset.style, e.textContent])"
    )
    assert len(figures) > 30
    for field, style, text in figures:
        assert text == format_value(lookup(report, json.loads(field)), style), field

    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result
               if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert serious == []
    assert _screenshot(driver, name).stat().st_size > 20_000


def test_page_prints_without_navigation(driver, kaigo_release):
    _open(driver, kaigo_release / "report.html")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert (
            driver.execute_script(
                "return getComputedStyle(document.querySelector('nav.toc')).display"
            )
            == "none"
        )
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF") and len(data) > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-kaigo.pdf").write_bytes(data)
