"""Adds accepted review examples to the NLU data, as a maintainer would by hand.

The YAML files are edited as text: each new example goes at the end of its
intent's ``examples: |`` block, in the file that already holds the intent,
so the order of the file and every comment stay as they were. An example the
data already has (ignoring case, markup and end punctuation) is skipped, so
applying the same review twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.training.project_checks import example_key, nlu_examples
from bot.training.review.review_file import ACCEPT, Decision, ReviewFileError

DEFAULT_NLU_FILE = Path("data/nlu.yml")


@dataclass
class MergeResult:
    """What applying a review did."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (intent, text)
    present: list[tuple[str, str]] = field(default_factory=list)  # already an example
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # text, wanted, owner
    changed_files: list[Path] = field(default_factory=list)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _examples_block(lines: list[str], intent: str) -> tuple[int, int] | None:
    """The line range of the intent's example lines (its first line and one past the last)."""
    item = re.compile(rf"^(\s*)- intent:\s*[\"']?{re.escape(intent)}[\"']?\s*(#.*)?$")
    start = next((number for number, line in enumerate(lines) if item.match(line)), None)
    if start is None:
        return None
    item_indent = _indent(lines[start])
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if line.strip() and _indent(line) <= item_indent:
            return None  # the next item: this one has no examples block
        if re.match(r"^\s+examples:\s*\|[-+]?\s*$", line):
            key_indent, last = _indent(line), number
            for inner in range(number + 1, len(lines)):
                if lines[inner].strip() and _indent(lines[inner]) <= key_indent:
                    break
                if lines[inner].lstrip().startswith("- "):
                    last = inner
            return number + 1, last + 1
    return None


def insert_examples(content: str, intent: str, examples: Iterable[str]) -> str | None:
    """``content`` with ``examples`` after the intent's last example; None if it has none."""
    lines = content.splitlines(keepends=True)
    block = _examples_block(lines, intent)
    if block is None:
        return None
    first, end = block
    sample = lines[end - 1] if end > first else lines[first - 1]
    indent = " " * (_indent(sample) if end > first else _indent(sample) + 2)
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines[end:end] = [f"{indent}- {text}\n" for text in examples]
    return "".join(lines)


def append_intent(content: str, intent: str, examples: Iterable[str]) -> str:
    """``content`` with a new intent block at its end, indented like the file's others."""
    existing = re.search(r"^( *)- intent:", content, flags=re.MULTILINE)
    indent = existing.group(1) if existing else ""
    block = [
        f"{indent}- intent: {intent}\n",
        f"{indent}  examples: |\n",
        *(f"{indent}    - {text}\n" for text in examples),
    ]
    separator = "" if not content or content.endswith("\n") else "\n"
    return content + separator + "".join(block)


def _plan(
    decisions: Iterable[Decision], owners: dict[str, str], result: MergeResult
) -> dict[str, list[str]]:
    """The new examples by intent, recording what is already there or conflicts."""
    additions: dict[str, list[str]] = {}
    for decision in decisions:
        if decision.decision != ACCEPT or decision.intent is None:
            continue
        for text in decision.examples:
            owner = owners.get(example_key(text))
            if owner == decision.intent:
                result.present.append((decision.intent, text))
            elif owner is not None:
                result.conflicts.append((text, decision.intent, owner))
            else:
                owners[example_key(text)] = decision.intent
                additions.setdefault(decision.intent, []).append(text)
    return additions


def merge_accepted(
    decisions: list[Decision],
    nlu_files: list[Path],
    known_intents: set[str],
    new_intent_file: Path = DEFAULT_NLU_FILE,
) -> MergeResult:
    """Writes the accepted examples into ``nlu_files``.

    Raises:
        ReviewFileError: when an accepted group names an intent the bot does not
            have; nothing is written then.
    """
    existing = nlu_examples(nlu_files)
    intents = known_intents | set(existing)
    unknown = sorted(
        {str(d.intent) for d in decisions if d.decision == ACCEPT and d.intent not in intents}
    )
    if unknown:
        raise ReviewFileError(f"unknown intents (add them to domain.yml first): {unknown}")
    owners = {example_key(text): intent for intent, texts in existing.items() for text in texts}
    result = MergeResult()
    additions = _plan(decisions, owners, result)
    contents = {path: path.read_text(encoding="utf-8") for path in nlu_files}
    for intent, texts in additions.items():
        for path in nlu_files:
            merged = insert_examples(contents[path], intent, texts)
            if merged is not None:
                contents[path] = merged
                break
        else:
            path = new_intent_file
            contents[path] = append_intent(contents.get(path, ""), intent, texts)
        result.added.extend((intent, text) for text in texts)
        if path not in result.changed_files:
            result.changed_files.append(path)
    for path in result.changed_files:
        path.write_text(contents[path], encoding="utf-8")
    return result
