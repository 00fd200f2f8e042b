"""Files only this user may read: the run files ``bot run`` writes for its processes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Writes ``text`` to ``path``, mode 0600, in a folder of mode 0700 (created if need be).

    The file is replaced whole (written aside, then renamed), so a process reading
    it meanwhile finds the old content or the new, never a part.
    """
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    descriptor, written = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(written, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(written)
        raise
