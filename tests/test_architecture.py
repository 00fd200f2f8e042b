"""The shape of the house: few loose modules, no import circle, bot apart from actions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

BOT = ROOT / "bot"
MAX_LOOSE_MODULES = 8


def module_name(path: Path) -> str:
    """``bot/leads/checks.py`` -> ``bot.leads.checks`` (a package is its ``__init__``)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    """The folder (or loose module) of ``bot`` a module belongs to: ``bot.leads``."""
    return ".".join(module.split(".")[:2])


def module_level_imports(path: Path) -> Iterator[str]:
    """The modules ``path`` imports when it is imported (not in functions, not for
    type checking)."""
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                yield from (f"bot.{alias.name}" for alias in node.names)
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def room_graph() -> dict[str, set[str]]:
    """Which rooms of ``bot`` import which others when imported."""
    graph: dict[str, set[str]] = {}
    for path in BOT.rglob("*.py"):
        source = room(module_name(path))
        for imported in module_level_imports(path):
            if imported.startswith("bot.") and room(imported) != source:
                graph.setdefault(source, set()).add(room(imported))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The rooms that import one another, directly or around a circle."""

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    return [[node] for node in sorted(graph) if reaches(node, node, {node})]


def test_bot_holds_few_loose_modules():
    loose = sorted(path.name for path in BOT.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose


def test_no_room_of_bot_imports_another_that_imports_it_back():
    assert cycles(room_graph()) == []


def test_a_circle_would_be_found():
    assert cycles({"bot.a": {"bot.b"}, "bot.b": {"bot.c"}, "bot.c": {"bot.a"}}) == [
        ["bot.a"],
        ["bot.b"],
        ["bot.c"],
    ]


def test_bot_never_imports_the_actions():
    def imports_actions(path: Path) -> bool:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):  # in functions too
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "actions":
                return True
            if isinstance(node, ast.Import) and any(
                alias.name.split(".")[0] == "actions" for alias in node.names
            ):
                return True
        return False

    assert not [str(path.relative_to(ROOT)) for path in BOT.rglob("*.py") if imports_actions(path)]


def test_every_package_says_what_it_holds():
    undocumented = [
        str(path.relative_to(ROOT))
        for path in BOT.rglob("__init__.py")
        if ast.get_docstring(ast.parse(path.read_text("utf-8"))) is None
    ]
    assert not undocumented
