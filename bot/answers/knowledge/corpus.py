"""The knowledge base: markdown articles in ``data/knowledge``, split into sections.

Each file is one article: a YAML front matter with its ``title`` (and the
``article`` it was written from), then ``## Section title`` headings, each
followed by the section's text. Adding an article is adding one file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

KNOWLEDGE_DIR = Path("data/knowledge")
_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
_HEADING = re.compile(r"^## +(?P<title>.+?)\s*$", re.MULTILINE)


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file."""


@dataclass(frozen=True)
class Section:
    """One idea of one article."""

    id: str  # "<file stem>#<title slug>"
    title: str
    text: str
    article_title: str


def slug(text: str) -> str:
    """``"Who versus where"`` -> ``"who-versus-where"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_article(name: str, content: str) -> list[Section]:
    """The sections of one markdown article.

    Raises:
        KnowledgeError: without front matter, a title, or any section with text.
    """
    match = _FRONT_MATTER.match(content.replace("\r\n", "\n"))
    if not match:
        raise KnowledgeError(f"{name}: expected YAML front matter between --- lines")
    meta = yaml.safe_load(match.group("meta")) or {}
    article_title = str(meta.get("title") or "").strip()
    if not article_title:
        raise KnowledgeError(f"{name}: the front matter needs a title")
    body = match.group("body")
    headings = list(_HEADING.finditer(body))
    if not headings:
        raise KnowledgeError(f"{name}: no '## ' section found")
    sections = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(body)
        text = " ".join(body[heading.end() : end].split())
        if not text:
            raise KnowledgeError(f"{name}: section '{heading['title']}' has no text")
        sections.append(
            Section(f"{name}#{slug(heading['title'])}", heading["title"], text, article_title)
        )
    return sections


def load_sections(directory: Path = KNOWLEDGE_DIR) -> list[Section]:
    """Every section of every ``*.md`` article in ``directory``, in file order."""
    sections: list[Section] = []
    for path in sorted(directory.glob("*.md")):
        sections.extend(parse_article(path.stem, path.read_text(encoding="utf-8")))
    ids = [section.id for section in sections]
    duplicates = sorted({section_id for section_id in ids if ids.count(section_id) > 1})
    if duplicates:
        raise KnowledgeError(f"two sections share an id: {', '.join(duplicates)}")
    return sections


def titles(sections: Iterable[Section]) -> list[str]:
    """The section titles (for listings and tests)."""
    return [section.title for section in sections]
