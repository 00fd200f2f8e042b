"""The sales app's JSON: the standard library's encoding, errors in one shape."""

from __future__ import annotations

import json

from bot.web.sales.responses import error_response, json_response


def test_json_is_ascii_with_slashes_as_they_are_and_lone_surrogates_escaped():
    response = json_response({"url": "https://x.io/a", "name": "Zoë", "odd": "\ud800"})

    assert response.content_type == "application/json"
    assert response.body == b'{"url": "https://x.io/a", "name": "Zo\\u00eb", "odd": "\\ud800"}'


def test_an_error_has_its_status_code_message_and_headers():
    response = error_response(429, "rate_limited", "Too many requests.", {"Retry-After": "3"})

    assert response.status == 429
    assert response.headers["Retry-After"] == "3"
    assert json.loads(response.body) == {
        "error": {"code": "rate_limited", "message": "Too many requests."}
    }
