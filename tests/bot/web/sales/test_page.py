"""The sales page: served by the app with strict headers, holding no lead data itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from bot.web.sales.page import STATIC_DIR
from tests.bot.web.sales.conftest import SeededLead

ASSETS = {
    "/sales/static/inbox.js": ("text/javascript", "application/javascript"),
    "/sales/static/inbox.css": ("text/css",),
}


class TagCollector(HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data


@pytest.fixture(scope="module")
def page(anonymous: httpx.Client) -> httpx.Response:
    response = anonymous.get("/sales")
    assert response.status_code == 200
    return response


def test_the_page_is_html_with_strict_security_headers(page: httpx.Response) -> None:
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_the_page_holds_no_lead_data(page: httpx.Response, seeded: dict[str, SeededLead]) -> None:
    for seed in seeded.values():
        submission = seed.lead.submission
        for value in (submission.name, submission.email, submission.company):
            assert value not in page.text


def test_the_page_runs_no_inline_script_or_style(page: httpx.Response) -> None:
    collector = TagCollector()
    collector.feed(page.text)

    scripts = [attrs for tag, attrs in collector.tags if tag == "script"]
    assert scripts
    assert all(attrs.get("src", "").startswith("/sales/static/") for attrs in scripts)
    assert not collector.script_text.strip()
    assert "style" not in {tag for tag, _ in collector.tags}
    for _, attrs in collector.tags:
        assert "style" not in attrs
        assert not [name for name in attrs if name.startswith("on")]


@pytest.mark.parametrize("path", ASSETS)
def test_the_script_and_style_sheet_are_served_by_the_app(
    anonymous: httpx.Client, path: str
) -> None:
    response = anonymous.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ASSETS[path]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_nothing_is_loaded_from_elsewhere(page: httpx.Response) -> None:
    texts = [page.text, *(path.read_text() for path in STATIC_DIR.iterdir())]

    for text in texts:
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text)
        assert "@import" not in text
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", text)


def test_the_script_never_renders_data_as_html() -> None:
    script = (STATIC_DIR / "inbox.js").read_text()

    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "textContent" in script
    assert "sessionStorage" in script
    assert "localStorage" not in script


def test_files_outside_the_static_folder_are_not_served(anonymous: httpx.Client) -> None:
    for path in ("/sales/static/../page.py", "/sales/static/%2e%2e/page.py"):
        response = anonymous.get(path)
        assert response.status_code == 404
        assert "STATIC_DIR" not in response.text
