"""A real browser (Debian's Chromium, headless) against `storydiff serve` on a loopback port.

Asserts on the DOM, not pixels; screenshots go to the test's temp folder. Skips when Chromium or
ChromeDriver is missing, except under CI (CI=true), where .ci/browser.sh installs them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI needs chromium and chromium-driver: run .ci/browser.sh")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def wait_for_page(browser: webdriver.Chrome, path: str) -> None:
    """A click that submits or follows a link returns before the next page has loaded."""
    WebDriverWait(browser, 120).until(
        lambda d: path in d.current_url or d.find_elements(By.CSS_SELECTOR, "p.error")
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    # the server's log goes to a file: a pipe nobody reads would fill and stall it
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "storydiff", "serve", "--db", str(sample_db), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"storydiff serve exited: {log.read_text(errors='replace')!r}") from None
            time.sleep(0.2)
    else:
        proc.kill()
        proc.wait(timeout=10)
        raise RuntimeError("storydiff serve did not start in 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    yield driver
    driver.quit()


def test_home_story_and_matrix_click_through(server: str, browser: webdriver.Chrome, tmp_path: Path) -> None:
    browser.get(server + "/")
    links = browser.find_elements(By.CSS_SELECTOR, "table.stories a")
    assert links, "the home page lists the stored stories"
    browser.save_screenshot(str(tmp_path / "home.png"))
    links[0].click()
    wait_for_page(browser, "/stories/")
    assert "/stories/" in browser.current_url
    cells = browser.find_elements(By.CSS_SELECTOR, "table.matrix td.reported a, table.matrix td.discrepant a")
    assert cells, "the story page shows the corroboration matrix with linked cells"
    claim_id = cells[0].get_attribute("href").split("#", 1)[1]
    cells[0].click()
    assert browser.execute_script("return decodeURIComponent(location.hash.slice(1))") == claim_id
    flashed = browser.find_elements(By.CSS_SELECTOR, ".flash")
    assert flashed and all(claim_id in (e.get_attribute("data-marks") or "").split() for e in flashed)
    assert flashed[0].find_element(By.XPATH, "ancestor::section[contains(@class,'article')]")
    browser.save_screenshot(str(tmp_path / "story-after-matrix-click.png"))
    print(f"screenshots: {tmp_path / 'home.png'} {tmp_path / 'story-after-matrix-click.png'}")


def test_search_result_opens_the_article_at_the_quote(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(server + "/")
    box = browser.find_element(By.CSS_SELECTOR, "nav.top input[name=q]")
    box.send_keys("door")
    box.submit()
    wait_for_page(browser, "/search")
    hits = browser.find_elements(By.CSS_SELECTOR, "ul.results li.hit a")
    assert hits, "searching 'door' finds the shared quote"
    assert browser.find_elements(By.CSS_SELECTOR, "ul.results mark")
    browser.save_screenshot(str(tmp_path / "search.png"))
    hits[0].click()
    wait_for_page(browser, "/articles/")
    quote_id = browser.execute_script("return decodeURIComponent(location.hash.slice(1))")
    assert "/articles/" in browser.current_url and quote_id
    highlighted = browser.find_elements(By.CSS_SELECTOR, ".flash")
    assert highlighted and "door" in " ".join(e.text for e in highlighted).lower()


def test_article_text_is_shown_as_text_never_run(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/analyze")
    browser.find_element(By.NAME, "text").send_keys(
        'The mayor said: "<script>window.pwned=1</script>" <img src=x onerror="window.pwned=2">'
    )
    browser.find_element(By.CSS_SELECTOR, "form[action='/analyze'] button").click()
    wait_for_page(browser, "/articles/")
    errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "p.error")]
    assert "/articles/" in browser.current_url, errors
    assert browser.execute_script("return window.pwned === undefined")
    assert "<script>window.pwned=1</script>" in browser.find_element(By.CSS_SELECTOR, "section.article").text


def test_report_leads_with_discrepancies_side_by_side(browser: webdriver.Chrome, tmp_path: Path) -> None:
    """The HTML report in a real browser: the discrepancy comes before the matrix, both outlets'
    sentences side by side, the differing figures marked and visible."""
    from storydiff.report import html as html_report

    from ..link.fixtures import two_outlets_disagree

    page = tmp_path / "report.html"
    page.write_text(html_report.render(two_outlets_disagree()), encoding="utf-8")
    browser.get(page.as_uri())
    block = browser.find_element(By.CSS_SELECTOR, "div.discrepancy")
    matrix = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    assert block.is_displayed() and block.location["y"] < matrix.location["y"]
    sides = block.find_elements(By.CSS_SELECTOR, ".variants > div")
    assert len(sides) == 2 and sides[0].location["y"] == sides[1].location["y"]  # side by side
    assert [e.text for e in block.find_elements(By.CSS_SELECTOR, "del")] == ["14"]
    assert [e.text.strip() for e in block.find_elements(By.CSS_SELECTOR, "ins")] == ["two", "12"]
    assert all(e.is_displayed() for e in block.find_elements(By.CSS_SELECTOR, "del, ins"))
    assert "same event: 0.97" in block.text
    browser.save_screenshot(str(tmp_path / "discrepancy.png"))
    print(f"screenshot: {tmp_path / 'discrepancy.png'}")


def test_report_shows_a_dispute_and_folds_what_it_is_unsure_of(
    browser: webdriver.Chrome, tmp_path: Path
) -> None:
    """A dispute leads, both sides side by side; a finding under even odds is folded until asked for."""
    from storydiff.report import html as html_report

    from ..link.fixtures import outlet_disputes

    page = tmp_path / "report.html"
    page.write_text(html_report.render(outlet_disputes()), encoding="utf-8")
    browser.get(page.as_uri())
    dispute = browser.find_element(By.CSS_SELECTOR, "div.dispute")
    matrix = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    assert dispute.is_displayed() and dispute.location["y"] < matrix.location["y"]
    assert "disputed: Plains Courier disputes what Harbour Times reports" in dispute.text
    assert "disagrees: 0.81" in dispute.text
    sides = dispute.find_elements(By.CSS_SELECTOR, ".variants > div")
    assert len(sides) == 2 and sides[0].location["y"] == sides[1].location["y"]
    assert "Bluewake Lines denied" in sides[1].text
    unsure = browser.find_element(By.CSS_SELECTOR, "details.unsure div.discrepancy")
    assert not unsure.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "details.unsure summary").click()
    assert unsure.is_displayed() and "same event: 0.42" in unsure.text
    browser.save_screenshot(str(tmp_path / "dispute.png"))
    print(f"screenshot: {tmp_path / 'dispute.png'}")
