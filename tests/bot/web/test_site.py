"""The demo site and the widget's assets, served by the real web app."""

from __future__ import annotations

import re

import pytest

from tests.bot.web.conftest import CHAT_SERVER, SITE_ORIGIN


@pytest.mark.parametrize("path", ["/", "/how-we-work"])
def test_demo_pages_embed_the_widget_with_one_script_tag(site, path):
    page = site.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts == ["/site/chat-config.js", "/widget/agency-chat.js"]
    assert "<script>" not in page.text  # no inline script: the CSP forbids it


def test_demo_pages_may_talk_only_to_themselves_and_the_chat_server(site):
    policy = site.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert f"connect-src 'self' {CHAT_SERVER}" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_demo_config_points_the_widget_at_the_configured_server(site):
    config = site.get("/site/chat-config.js")
    assert config.headers["content-type"].startswith("text/javascript")
    assert f'"serverUrl": "{CHAT_SERVER}"' in config.text


@pytest.mark.parametrize("asset", ["agency-chat.js", "agency-chat.css"])
def test_widget_assets_are_served_with_cache_headers(site, asset):
    response = site.get(f"/widget/{asset}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_widget_assets_allow_only_the_configured_site_origins(site):
    allowed = site.get("/widget/agency-chat.js", headers={"Origin": SITE_ORIGIN})
    other = site.get("/widget/agency-chat.js", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == SITE_ORIGIN
    assert "access-control-allow-origin" not in other.headers


def test_the_widget_never_writes_html_from_messages(site):
    script = site.get("/widget/agency-chat.js").text
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script
    assert "document.write" not in script


def test_an_asset_not_changed_since_the_browser_got_it_is_answered_304(site):
    first = site.get("/widget/agency-chat.js")
    again = site.get(
        "/widget/agency-chat.js", headers={"If-Modified-Since": first.headers["last-modified"]}
    )

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "path", ["/site/%00", "/widget/a%00.js", "/site/" + "a" * 300, "/site/%2e%2e"]
)
def test_a_name_that_is_no_file_of_the_folder_is_a_404_without_touching_the_disk(site, path):
    response = site.get(path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
