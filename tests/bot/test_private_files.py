"""write_private: a file only its user reads, in a folder only its user opens, whole."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.private_files import write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_is_0600_in_a_folder_made_0700(tmp_path: Path):
    path = tmp_path / "run" / "endpoints.yml"

    write_private(path, "action_endpoint: {}\n")

    assert path.read_text() == "action_endpoint: {}\n"
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)


def test_an_open_folder_is_closed_and_the_old_content_replaced(tmp_path: Path):
    tmp_path.chmod(0o755)
    path = tmp_path / "token"
    write_private(path, "old")

    write_private(path, "new")

    assert (path.read_text(), mode(tmp_path)) == ("new", 0o700)


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_aside(tmp_path: Path):
    path = tmp_path / "token"
    write_private(path, "old")

    with pytest.raises(UnicodeEncodeError):
        write_private(path, "\ud800")

    assert path.read_text() == "old"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["token"]
