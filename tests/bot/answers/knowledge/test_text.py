"""bot.answers.knowledge.text: stems are the same from any number of threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.answers.knowledge.text import stem

WORDS = ["outsourced", "outsourcing", "developers", "employment", "countries", "relying"] * 400


def test_stemming_from_several_threads_gives_the_stems_of_one():
    expected = [stem(word) for word in WORDS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [stem(word) for word in WORDS], range(8)))
    assert all(result == expected for result in results)
