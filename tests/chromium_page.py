"""Open a self-contained HTML page in Debian's headless Chromium (through Playwright, with
``executable_path``: no browser of Playwright's own is downloaded) and report what it says
about itself: images, audio players (loaded and decoded), tables, headings, and every error
(uncaught exceptions, console errors, the browser's log) and request that tried to leave the
machine. Importable from both tiers (tests/conftest.py puts this folder on sys.path); the
pattern is that of tests/unit/test_report.py."""

from __future__ import annotations

import re
from pathlib import Path

# Playwright adds --headless and --remote-debugging-pipe itself.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--autoplay-policy=no-user-gesture-required", "--mute-audio"]

CHECK_PAGE = r"""
async () => {
  const images = [...document.images].map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth,
                                                 height: i.naturalHeight}));
  const elements = [...document.querySelectorAll('audio')];
  const loaded = await Promise.all(elements.map(a => new Promise(resolve => {
    const done = () => resolve({label: a.getAttribute('aria-label'), readyState: a.readyState,
                                duration: a.duration, error: a.error ? a.error.code : null,
                                canPlay: a.canPlayType('audio/wav')});
    if (a.readyState >= 1 || a.error) return done();
    a.addEventListener('loadedmetadata', done, {once: true});
    a.addEventListener('error', done, {once: true});
    a.load();
    setTimeout(done, 15000);
  })));
  const context = new OfflineAudioContext(1, 1, 8000);
  const decoded = await Promise.all(elements.map(async a => {
    try {
      const data = await (await fetch(a.currentSrc || a.src)).arrayBuffer();
      const buffer = await context.decodeAudioData(data);
      return {ok: true, seconds: buffer.duration};
    } catch (e) { return {ok: false, error: String(e)}; }
  }));
  const tables = [...document.querySelectorAll('table')].map(t => ({
    rows: t.querySelectorAll('tbody tr').length,
    headers: [...t.querySelectorAll('th')].map(th => th.textContent),
    cells: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent))}));
  return {title: document.title, images, audio: loaded, decoded, tables,
          sections: [...document.querySelectorAll('h2')].map(h => h.textContent),
          recordings: [...document.querySelectorAll('h3')].map(h => h.textContent)};
}
"""


def chromium_binary() -> str:
    """Debian's chromium, installed with apt-get when missing (as root); fails the test, naming the
    apt-get step, when there is none."""
    import pytest
    from system_packages import InstallError, install_chromium

    try:
        return install_chromium()
    except InstallError as error:
        pytest.fail(f"Debian's chromium: {error}")


def check_page(page_path: Path, binary: str, screenshot: Path | None = None) -> dict:
    """Load ``page_path`` in headless Chromium; return ``{"page": what the page reports,
    "errors": [...], "requests": [...], "outside": [...]}``. Requests other than file:, data: and
    about: are recorded in ``outside`` and aborted."""
    from playwright.sync_api import sync_playwright

    errors, requests, outside = [], [], []

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=CHROMIUM_FLAGS, headless=True,
                                             timeout=120_000)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.on("pageerror", lambda error: errors.append(f"exception: {error}"))
            page.on("console", lambda message: errors.append(f"console.{message.type}: {message.text}")
                    if message.type in ("error", "assert") else None)
            page.on("request", lambda request: requests.append(request.url))
            page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url[:80]} "
                                                                    f"({request.failure})"))
            page.route(re.compile(r"^(?!file:|data:|about:)"), refuse)
            log = context.new_cdp_session(page)
            log.on("Log.entryAdded", lambda event: errors.append(f"log: {event['entry']}")
                   if event["entry"].get("level") == "error" else None)
            log.send("Log.enable")
            page.goto(Path(page_path).resolve().as_uri(), wait_until="load")
            checked = page.evaluate(CHECK_PAGE)
            if screenshot is not None:
                size = page.evaluate("({width: document.documentElement.scrollWidth, "
                                     "height: document.documentElement.scrollHeight})")
                page.screenshot(path=screenshot, full_page=True,
                                clip={"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000)})
        finally:
            browser.close()
    return {"page": checked, "errors": errors, "requests": requests, "outside": outside}
