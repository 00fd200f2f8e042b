"""bot.web.static_files: the media types of the files served (the serving itself is
tested on the real server, tests/system/server/test_bad_input_table.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.web.static_files import content_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "agency-chat.js",
            ("text/javascript; charset=utf-8", "application/javascript; charset=utf-8"),
        ),
        ("site.css", ("text/css; charset=utf-8",)),
        ("index.html", ("text/html; charset=utf-8",)),
        ("favicon.svg", ("image/svg+xml",)),
        ("no-suffix", ("application/octet-stream",)),
    ],
)
def test_text_files_are_served_as_utf_8(name, expected):
    assert content_type(Path(name)) in expected
