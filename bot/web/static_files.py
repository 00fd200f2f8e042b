"""A folder's files, served by name: exactly the files it holds when the app is made.

Sanic 21.12's static handler (``Blueprint.static``) looks the URL's file name up
on the disk: a name with a NUL byte (``/site/a%00.css``) makes ``Path.resolve``
raise ``ValueError`` and the request a 500 with a logged traceback, and a name
longer than the file system allows fails in ``open`` the same way. Here the
name is only a key in the table of the folder's files, listed when the
blueprint is made; any other name is a 404, and nothing the client sends
reaches the file system.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Coroutine
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sanic import Blueprint
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse, file

from bot.web.routes import READ_METHODS

Handler = Callable[[Request, str], Coroutine[Any, Any, HTTPResponse]]


def add_static_files(blueprint: Blueprint, uri: str, folder: Path, name: str) -> None:
    """Serves each file directly in ``folder`` at ``uri/<file name>`` (GET and HEAD)."""
    files = {path.name: path for path in sorted(folder.iterdir()) if path.is_file()}
    blueprint.add_route(
        static_file_handler(files), f"{uri}/<file_name>", methods=READ_METHODS, name=name
    )


def content_type(path: Path) -> str:
    """The media type of ``path`` by its suffix, in UTF-8 for text and scripts."""
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type == "application/javascript":
        return f"{media_type}; charset=utf-8"
    return media_type


def static_file_handler(files: dict[str, Path]) -> Handler:
    """A handler serving ``files`` by name, with ``Last-Modified`` and 304 answers."""

    async def static_file(request: Request, file_name: str) -> HTTPResponse:
        path = files.get(unquote(file_name))
        if path is None:
            raise NotFound("no such file")
        modified = formatdate(path.stat().st_mtime, usegmt=True)
        if request.headers.get("if-modified-since") == modified:
            return HTTPResponse(status=304, headers={"Last-Modified": modified})
        return await file(path, mime_type=content_type(path), headers={"Last-Modified": modified})

    return static_file
