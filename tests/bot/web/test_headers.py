"""The web app's headers by path: widget, demo pages, inbox, API; CORS for the widget."""

from __future__ import annotations

import pytest

from bot.settings import load_settings
from bot.web.headers import API_POLICY, INBOX_POLICY, cors_headers, security_headers

SETTINGS = load_settings(
    {"SITE_ORIGINS": "https://agency.example", "CHAT_SERVER_URL": "https://chat.agency.example/x"}
)


def test_the_widget_is_cacheable_and_carries_no_page_policy():
    assert security_headers("/widget/agency-chat.js", SETTINGS) == {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "public, max-age=3600",
    }


@pytest.mark.parametrize("path", ["/", "/how-we-work", "/site/site.css"])
def test_the_demo_pages_may_talk_to_the_chat_server_only(path):
    policy = security_headers(path, SETTINGS)["Content-Security-Policy"]

    assert "connect-src 'self' https://chat.agency.example;" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("path", "policy", "cache"),
    [
        ("/sales", INBOX_POLICY, "no-store"),
        ("/sales/static/inbox.js", INBOX_POLICY, "no-cache"),
        ("/api/leads", API_POLICY, "no-store"),
        ("/salesforce", API_POLICY, "no-store"),  # not the inbox: a prefix is a folder
    ],
)
def test_the_inbox_and_the_api_are_never_stored_or_framed(path, policy, cache):
    headers = security_headers(path, SETTINGS)

    assert (headers["Content-Security-Policy"], headers["Cache-Control"]) == (policy, cache)
    assert headers["X-Frame-Options"] == "DENY"


def test_only_the_sites_origins_may_read_the_widget():
    allowed = cors_headers("/widget/agency-chat.js", "https://agency.example/", SETTINGS)
    refused = cors_headers("/widget/agency-chat.js", "https://evil.example", SETTINGS)

    assert allowed == {"Access-Control-Allow-Origin": "https://agency.example/", "Vary": "Origin"}
    assert refused == {"Vary": "Origin"}
    assert cors_headers("/api/leads", "https://agency.example", SETTINGS) == {}
