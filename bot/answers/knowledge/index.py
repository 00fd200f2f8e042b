"""The search index over the knowledge sections: BM25 with domain synonyms.

Built once per process (at the action server's first knowledge question).
A section answers a question only when it shares at least two distinct
terms with it (a synonym group counts once): one shared word such as
"capital" or "rules" is how off-topic questions meet the articles, so a
single match is never enough. Chosen and checked on the question table in
``tests/knowledge/questions.yml`` (see ``make bench``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

from bot.answers.knowledge.corpus import KNOWLEDGE_DIR, Section, load_sections
from bot.answers.knowledge.text import Tokenizer, load_synonyms, terms

MIN_MATCHED_TERMS = 2


@dataclass(frozen=True)
class Hit:
    """A section found for a question, its BM25 score and the terms they share."""

    section: Section
    score: float
    matched: frozenset[str]


def spacy_tokenizer() -> Tokenizer:
    """spaCy's English tokenizer (the rules of the project's own pipeline)."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: (token.text for token in tokenizer(text))


class KnowledgeIndex:
    """Finds the sections that answer a question."""

    def __init__(
        self,
        sections: Sequence[Section],
        tokenize: Tokenizer,
        synonyms: Mapping[str, str],
        min_matched_terms: int = MIN_MATCHED_TERMS,
    ) -> None:
        if not sections:
            raise ValueError("a knowledge index needs at least one section")
        self.sections = list(sections)
        self._tokenize = tokenize
        self._synonyms = dict(synonyms)
        self.min_matched_terms = min_matched_terms
        # The title counts twice: it names the section's one idea.
        documents = [self._terms(f"{s.title}. {s.title}. {s.text}") for s in self.sections]
        self._bm25 = BM25Okapi(documents)
        self._document_terms = [frozenset(document) for document in documents]

    @classmethod
    def from_directory(cls, directory: Path = KNOWLEDGE_DIR) -> KnowledgeIndex:
        """The index of every article in ``directory``, with the project's synonyms."""
        return cls(load_sections(directory), spacy_tokenizer(), load_synonyms())

    def _terms(self, text: str) -> list[str]:
        return terms(text, self._tokenize, self._synonyms)

    def _shared(self, query_terms: Sequence[str], index: int) -> frozenset[str]:
        document = self._document_terms[index]
        shared = set()
        for term in query_terms:
            key = self._synonyms.get(term, term)
            if term in document or key in document:
                shared.add(key)
        return frozenset(shared)

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        """The ``limit`` best sections for ``question``, best first."""
        query = self._terms(question)
        if not query:
            return []
        scores = self._bm25.get_scores(query)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:limit]
        plain = [term for term in query if not term.startswith("~")]
        return [Hit(self.sections[i], float(scores[i]), self._shared(plain, i)) for i in order]

    def is_answer(self, hit: Hit) -> bool:
        """True when ``hit`` shares enough with the question to answer it."""
        return hit.score > 0 and len(hit.matched) >= self.min_matched_terms

    def answer(self, question: str, exclude: Collection[str] = ()) -> Hit | None:
        """The best section that answers ``question`` and is not in ``exclude`` (ids)."""
        for hit in self.search(question, limit=len(exclude) + 1):
            if hit.section.id not in exclude:
                return hit if self.is_answer(hit) else None
        return None
