"""What one bench run measured for each bot, and the targets the issue judges it by."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import LevelResult
from bench.retraining import TrainingFigures

MIB = 2**20


@dataclass(frozen=True)
class Options:
    """How long and how hard to load each bot, and where the record goes."""

    levels: tuple[int, ...]
    warmup: float
    seconds: float
    seed: int
    output: Path
    retrain_peer: bool
    our_training: bool
    quick: bool
    workers: int = 1


@dataclass
class BotResult:
    """Everything measured for one bot."""

    name: str
    model: Path
    startup_seconds: float
    levels: list[LevelResult]
    memory: dict[str, int]  # process name -> resident bytes, after the load
    training: TrainingFigures | None
    check: list[tuple[str, str]] = field(default_factory=list)  # one lead form, alone
    load_average: float = 0.0  # the machine's 1-minute load average before the bot started
    notes: list[str] = field(default_factory=list)

    def level(self, concurrency: int) -> LevelResult | None:
        """The result at ``concurrency`` visitors, if measured."""
        return next((level for level in self.levels if level.concurrency == concurrency), None)

    @property
    def saturation(self) -> LevelResult:
        """The level with the highest throughput."""
        return max(self.levels, key=lambda level: level.throughput)

    @property
    def total_memory(self) -> int:
        """Resident bytes of all the bot's processes together."""
        return sum(self.memory.values())


@dataclass(frozen=True)
class Row:
    """One line of the summary table; ``passed`` is None where there is no target."""

    metric: str
    ours: float | None
    peer: float | None
    target: str = ""
    passed: bool | None = None


def _p(result: BotResult, concurrency: int, share: float) -> float | None:
    level = result.level(concurrency)
    return None if level is None else level.latency_ms(share)


def _training(result: BotResult, step: Callable[[TrainingFigures], float]) -> float | None:
    return None if result.training is None else step(result.training)


def _passes(ours: float | None, limit: float | None, at_most: bool = True) -> bool | None:
    if ours is None or limit is None or math.isnan(ours) or math.isnan(limit):
        return None
    return ours <= limit if at_most else ours >= limit


def summary(ours: BotResult, peer: BotResult) -> list[Row]:
    """The table the issue judges: each metric for both bots, with its target."""
    p50_ours, p50_peer = _p(ours, 1, 0.5), _p(peer, 1, 0.5)
    p99_ours = _p(ours, 10, 0.99)
    rate_ours, rate_peer = ours.saturation.throughput, peer.saturation.throughput
    mem_ours, mem_peer = ours.total_memory / MIB, peer.total_memory / MIB
    nlu = _training(ours, lambda figures: figures.nlu_example_seconds)
    edit = _training(ours, lambda figures: figures.answer_edit_seconds)
    return [
        Row("p50 latency, 1 conversation (ms)", p50_ours, p50_peer, "≤ 0.3 x peer",
            _passes(p50_ours, None if p50_peer is None else 0.3 * p50_peer)),
        Row("p99 latency, 10 conversations (ms)", p99_ours, _p(peer, 10, 0.99), "≤ 100 ms",
            _passes(p99_ours, 100)),
        Row("throughput at saturation (messages/s)", rate_ours, rate_peer, "≥ 3 x peer",
            _passes(rate_ours, 3 * rate_peer, at_most=False)),
        Row("resident memory, all processes (MiB)", mem_ours, mem_peer, "≤ peer",
            _passes(mem_ours, mem_peer)),
        Row("start-up to first answer (s)", ours.startup_seconds, peer.startup_seconds, "≤ 15 s",
            _passes(ours.startup_seconds, 15)),
        Row("cold full training (s)", _training(ours, lambda figures: figures.cold_seconds),
            _training(peer, lambda figures: figures.cold_seconds)),
        Row("retraining, one new NLU example (s)", nlu,
            _training(peer, lambda figures: figures.nlu_example_seconds), "≤ 60 s",
            _passes(nlu, 60)),
        Row("retraining, one answer's text edited (s)", edit,
            _training(peer, lambda figures: figures.answer_edit_seconds), "≤ 10 s",
            _passes(edit, 10)),
    ]  # fmt: skip
