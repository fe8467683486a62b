"""Check a folder of briefs the way a reader's browser sees it (headless Debian Chromium).

``check_site(index_html)`` opens the index, follows every link to an ``.html`` page inside
the report folder, checks that every linked ``.pdf`` exists, and fails (AssertionError
listing every problem) on an image that did not load, a request for anything that is not
a file inside the report folder (a page loads nothing from outside itself), a link to a
file out of the folder or to a missing file, or a console error. A plain link to a web
page (``<a href="https://…">``, a source) is fine: it is neither followed nor fetched, and
a request the page made for it would still fail the check. Playwright's own browser download
does not work here, so it drives ``/usr/bin/chromium`` (Debian's package; CI installs it).
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
BROKEN_IMAGES = "els => els.filter(e => !e.complete || e.naturalWidth === 0).map(e => e.getAttribute('src').slice(0, 80))"


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can.

    In CI (``CI`` set) a missing browser is an error, not a reason to skip: CI installs it.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is absent in CI: .ci/run must install Debian's 'chromium'")
        return f"{CHROMIUM} is absent (install Debian's 'chromium' package; CI does)"
    return None


def _local_path(url: str) -> Path | None:
    """The file a ``file://`` URL points at (fragment dropped), else None."""
    parsed = urlparse(urldefrag(url)[0])
    return Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None


def _inside(path: Path | None, root: Path) -> bool:
    return path is not None and path.is_relative_to(root)


def check_site(index_html: Path, *, chromium: Path = CHROMIUM, timeout_ms: int = 15_000) -> list[Path]:
    """Crawl a report folder from its index; return the pages visited, fail on any problem."""
    from playwright.sync_api import sync_playwright

    index = Path(index_html).resolve()
    root = index.parent
    problems: list[str] = []
    visited: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_default_timeout(timeout_ms)
            current: list[Path] = [index]

            def route(route_) -> None:  # every request: allow files in the folder, block the rest
                url = route_.request.url
                if _inside(_local_path(url), root):
                    route_.continue_()
                else:
                    problems.append(f"{current[0].name}: request leaves the report folder: {url[:120]}")
                    route_.abort()

            def console(msg) -> None:
                if msg.type == "error":
                    problems.append(f"{current[0].name}: console error: {msg.text[:200]}")

            page.route("**/*", route)
            page.on("console", console)
            page.on("pageerror", lambda err: problems.append(f"{current[0].name}: script error: {err}"))
            queue, seen = deque([index]), {index}
            while queue:
                current[0] = path = queue.popleft()
                visited.append(path)
                page.goto(path.as_uri(), wait_until="load")
                for src in page.eval_on_selector_all("img", BROKEN_IMAGES):
                    problems.append(f"{path.name}: image did not load: {src}")
                for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    target = _follow(href, path, root, problems)
                    if target is not None and target not in seen:
                        seen.add(target)
                        queue.append(target)
        finally:
            browser.close()
    assert not problems, "site check failed:\n" + "\n".join(problems)
    return visited


def _follow(href: str, page: Path, root: Path, problems: list[str]) -> Path | None:
    """Check one link; return the .html page to visit next, if it is one."""
    if href.startswith(("mailto:", "tel:")):
        return None
    if urlparse(href).scheme in ("http", "https"):  # a web source: a link, not a load
        return None
    target = _local_path(href)
    if not _inside(target, root):
        problems.append(f"{page.name}: link leaves the report folder: {href[:120]}")
        return None
    assert target is not None
    if not target.is_file():
        problems.append(f"{page.name}: broken link: {target.relative_to(root)}")
        return None
    if target.suffix == ".pdf":
        if target.read_bytes()[:5] != b"%PDF-":
            problems.append(f"{page.name}: not a PDF: {target.relative_to(root)}")
        return None
    return target if target.suffix == ".html" else None
