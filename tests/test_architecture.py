"""The shape of the house: few loose modules, no import circle, bot apart from actions."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

BOT = ROOT / "bot"
TESTS = ROOT / "tests/bot"
MAX_LOOSE_MODULES = 8
# Modules whose behaviour is tested through another module's test file, each with
# the file that tests it (which names it, imports it, or imports a module that does).
TESTED_ELSEWHERE: dict[str, str] = {
    "bot/answers/faq/aspects.py": "tests/bot/answers/faq/test_context.py",
    "bot/answers/knowledge/answer.py": "tests/bot/answers/knowledge/test_index.py",
    "bot/answers/knowledge/evaluation.py": "tests/bot/answers/knowledge/test_index.py",
    "bot/conversations/erasure.py": "tests/bot/privacy/test_erasure.py",
    "bot/conversations/events.py": "tests/bot/conversations/test_stats.py",
    "bot/delivery/channel.py": "tests/bot/delivery/test_worker_run.py",
    "bot/http_framing/protocol.py": "tests/bot/http_framing/test_checks_and_install.py",
    "bot/leads/fields.py": "tests/bot/leads/test_said_back.py",
    "bot/leads/model.py": "tests/bot/leads/store/test_repository_submit.py",
    "bot/leads/parsing/asides.py": "tests/bot/leads/parsing/test_contact.py",
    "bot/leads/parsing/non_answer_words.py": "tests/bot/leads/parsing/test_name_phrases.py",
    "bot/leads/parsing/non_answers.py": "tests/bot/leads/parsing/test_name_phrases.py",
    "bot/leads/parsing/result.py": "tests/bot/leads/test_checks.py",
    "bot/leads/store/erasure.py": "tests/bot/leads/store/test_repository_submit.py",
    "bot/leads/store/errors.py": "tests/bot/leads/test_spool.py",
    "bot/leads/store/tables.py": "tests/bot/leads/store/test_migrate.py",
    "bot/leads/transcript.py": "tests/bot/leads/test_submission.py",
    "bot/leads/vocabulary.py": "tests/test_consistency.py",
    "bot/ops/supervision/restart_policy.py": "tests/bot/ops/supervision/test_supervisor.py",
    "bot/ops/supervision/service.py": "tests/bot/ops/supervision/test_supervisor.py",
    "bot/rasa_patches/serving/agent_loading.py": (
        "tests/bot/rasa_patches/serving/test_action_connections.py"
    ),
    "bot/rasa_patches/table.py": "tests/bot/rasa_patches/test_registry.py",
    "bot/rasa_plugins/channels/rest.py": "tests/system/server/test_rest_channel.py",
    "bot/rasa_plugins/channels/session_secret.py": (
        "tests/bot/rasa_plugins/channels/test_sessions.py"
    ),
    "bot/rasa_plugins/stores/redis_lock_scripts.py": (
        "tests/bot/rasa_plugins/stores/test_redis_lock_store.py"
    ),
    "bot/training/evaluation/metrics.py": "tests/bot/training/evaluation/test_cross_validation.py",
    # The app the sales API's tests serve, built by create_app in their conftest.
    "bot/web/app.py": "tests/bot/web/sales/conftest.py",
    "bot/web/health.py": "tests/bot/web/sales/conftest.py",
    "bot/web/routes.py": "tests/bot/web/sales/test_head_requests.py",
}
# Alembic's scripts, run in order by tests/bot/leads/store/test_migrate.py.
MIGRATIONS = BOT / "leads/store/migrations"


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


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (``from bot.x import y`` counts
    as importing ``bot.x`` and ``bot.x.y``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def reaches_module(test_file: Path, module: str) -> bool:
    """Whether ``test_file`` names ``module``, imports it, or imports a module of ``bot``
    that imports it."""
    if module in test_file.read_text("utf-8"):
        return True
    imported = {name for name in imports_of(test_file) if name.startswith("bot.")}
    for name in imported:
        for candidate in (
            (BOT.parent / name.replace(".", "/")).with_suffix(".py"),
            (BOT.parent / name.replace(".", "/") / "__init__.py"),
        ):
            if candidate.is_file() and module in imports_of(candidate):
                return True
    return False


def own_test_files(module: Path) -> list[Path]:
    """``tests/bot/leads/test_checks.py`` and ``test_checks_*.py`` for ``bot/leads/checks.py``."""
    folder = TESTS / module.parent.relative_to(BOT)
    return [*folder.glob(f"test_{module.stem}.py"), *folder.glob(f"test_{module.stem}_*.py")]


def modules_of_bot() -> list[Path]:
    """Every module of ``bot`` but packages' own files and the migration scripts."""
    return sorted(
        path
        for path in BOT.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and MIGRATIONS not in path.parents
    )


def test_every_module_of_bot_has_a_test_file_named_for_it():
    """tests/ mirrors bot/ file for file; a module tested through another's test file
    is listed in TESTED_ELSEWHERE with that file, which must import it."""
    missing = [
        str(path.relative_to(ROOT))
        for path in modules_of_bot()
        if not own_test_files(path) and str(path.relative_to(ROOT)) not in TESTED_ELSEWHERE
    ]
    assert missing == []


def test_each_module_tested_elsewhere_is_named_by_its_test_and_has_no_file_of_its_own():
    problems = []
    for module, test in TESTED_ELSEWHERE.items():
        path, test_file = ROOT / module, ROOT / test
        if not path.is_file() or not test_file.is_file():
            problems.append(f"{module} or {test} is gone")
        elif own_test_files(path):
            problems.append(f"{module} has a test file now: drop it from the table")
        elif not reaches_module(test_file, module_name(path)):
            problems.append(f"{test} neither names {module} nor imports a module that does")
    assert problems == []


# A figure measured on one machine on one day: "about 3 %", "about 2 s", "9 % of".
MEASUREMENT = re.compile(
    r"about\s+\d[\d.,]*\s?(?:ms|µs|s|MiB|MB|KB|%)(?!\w)|\d[\d.]*\s?% of (?:a|the|every|its)\b"
)


def test_no_measurement_sits_in_the_code_where_it_would_go_stale():
    """Measurements belong in reports/ and docs/performance.md, with their date."""
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in BOT.rglob("*.py")
        for match in MEASUREMENT.finditer(path.read_text("utf-8"))
    ]
    assert found == []


def test_a_measurement_would_be_found():
    assert MEASUREMENT.search("that was about 11 % of the CPU")
    assert MEASUREMENT.search("took about 3.5 s of a start")
    assert MEASUREMENT.search("costs 9 % of a turn")
    assert MEASUREMENT.search("loads it in about\n0.5 s")
    assert not MEASUREMENT.search("Sanic's default is 100 MB; waits 50 ms unless told")
