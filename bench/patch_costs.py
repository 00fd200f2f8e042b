"""What each speed patch of Rasa saves: a turn's CPU with every patch on, and with each off.

Each patch of :mod:`bot.rasa_patches` that is there for speed must earn its
place: a patch that saves under ``KEEP_SHARE`` of a turn's CPU goes. This loads
the trained model in one process with the project's action server, as
``bench.layers`` does, installs the ``turn`` and ``serving`` groups, and plays
the serving benchmark's mix of conversations (FAQ questions, chitchat,
knowledge questions, lead forms) with every patch on, then at once with the
patches of one replacement module off, and so on, in ``ROUNDS`` interleaved
rounds. A module's saving is the median of its pairs' savings: on a shared
virtual machine the speed drifts between rounds by more than a small patch
saves, but hardly within a pair. The figure is this process's CPU per message:
the Rasa side of a turn, where the patches run.

Run with ``make bench`` (or ``python -m bench.patch_costs``); writes
``reports/patch-costs.md``.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.layers import action_server
from bench.load import ScriptBook
from bench.retraining import ROOT
from bot import rasa_patches
from bot.training.model_files import serving_model

CONVERSATIONS = 100
ROUNDS = 7
KEEP_SHARE = 0.02
# Patches that act when the server starts or stops, or on training: not on a turn.
NOT_ON_A_TURN = ("agent_loading", "shared_port", "rasa_patches.training")
# Patches Rasa reads when it loads the model (the graph runner; a component's method, which
# each graph node takes once as it is built): measured off with a model loaded without them.
READ_AT_LOADING = ("turn.graph_runner", "turn.intent_scores")
REPORT = ROOT / "reports/patch-costs.md"


# The row of every speed patch of a turn off at once (plain Rasa's speed).
EVERY_PATCH = "every one of them"


@dataclass(frozen=True)
class Pair:
    """CPU ms per message with every patch on, then with some off, played back to back."""

    on: float
    off: float

    @property
    def saving(self) -> float:
        """The share of the CPU the patches off would have saved."""
        return (self.off - self.on) / self.off


def turn_patches() -> dict[str, tuple[str, ...]]:
    """The speed patches that run on a turn, by replacement module: their targets;
    and all of them together (:data:`EVERY_PATCH`)."""
    by_module: dict[str, list[str]] = {}
    for patch in rasa_patches.PATCHES:
        module = patch.replacement.split(":")[0]
        if patch.for_speed and not any(part in module for part in NOT_ON_A_TURN):
            by_module.setdefault(module.removeprefix("bot.rasa_patches."), []).append(patch.target)
    every = tuple(target for targets in by_module.values() for target in targets)
    return {**{module: tuple(targets) for module, targets in by_module.items()}, EVERY_PATCH: every}


async def _play(agent: object, messages: Sequence[tuple[str, str]], tag: str) -> float:
    """CPU milliseconds of this process per message, over ``messages``.

    The heap is frozen while it plays, as the server freezes it after loading its
    model: the collector runs as it does in the server (allocation-heavy code pays
    for it there too), but does not scan the models loaded for other
    configurations (dropped models are collected before the freeze).
    """
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    gc.collect()
    gc.freeze()
    try:
        started = time.process_time()
        for sender, text in messages:
            message = UserMessage(text, CollectingOutputChannel(), sender_id=f"{tag}-{sender}")
            await agent.handle_message(message)  # type: ignore[attr-defined]
        return 1000 * (time.process_time() - started) / len(messages)
    finally:
        gc.unfreeze()


async def measure(model: Path, actions_url: str) -> dict[str, list[Pair]]:
    """For each module, per round: CPU ms per message with every patch on, then with
    the module's patches off, played one right after the other."""
    from rasa.core.agent import load_agent
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot.rasa_patches.serving.action_connections import KeptAliveEndpointConfig
    from bot.rasa_plugins.endpoints import endpoints
    from bot.settings import load_settings

    configure_logging_and_warnings(logging.INFO)  # as `rasa run` does by default
    configure_structlog(logging.INFO)
    rasa_patches.install(rasa_patches.TURN, rasa_patches.SERVING)
    served = {**endpoints(load_settings({}))["action_endpoint"], "url": actions_url}
    endpoint = KeptAliveEndpointConfig(**served)

    async def loaded() -> object:
        agent = await load_agent(
            model_path=str(model), endpoints=AvailableEndpoints(action=endpoint)
        )
        agent.tracker_store = agent.processor.tracker_store = InMemoryTrackerStore(agent.domain)
        return agent

    agent = await loaded()
    book = ScriptBook(seed=0, tag="patch-costs-")
    messages = [
        (str(number), text) for number in range(CONVERSATIONS) for text in book.next().messages
    ]
    await _play(agent, messages, "warm-up")
    figures: dict[str, list[Pair]] = {}
    tags = itertools.count()
    configurations = list(turn_patches().items())
    for round_number in range(ROUNDS):
        # Each round starts elsewhere in the list: no configuration is always first.
        shift = round_number * len(configurations) // ROUNDS
        for module, targets in configurations[shift:] + configurations[:shift]:
            # Every patch on, right before: the pair shares the machine's moment. An
            # untimed play first, after a model loaded for the last configuration.
            await _play(agent, messages, f"settle-{next(tags)}")
            on = await _play(agent, messages, str(next(tags)))
            rasa_patches.restore(targets)
            try:
                reload = module in READ_AT_LOADING or module == EVERY_PATCH
                playing = await loaded() if reload else agent
                if playing is not agent:
                    await _play(playing, messages, f"warm-up-{next(tags)}")
                cpu = await _play(playing, messages, str(next(tags)))
            finally:
                playing = None  # a model loaded for this configuration goes
                rasa_patches.install(rasa_patches.TURN, rasa_patches.SERVING)
            figures.setdefault(module, []).append(Pair(on, cpu))
    await endpoint.close()
    return figures


def report(figures: dict[str, list[Pair]], messages: int) -> str:
    """The table: CPU per message with each module's patches off, and the share saved:
    the median over the rounds of each pair's saving (the machine's speed drifts
    between rounds more than a small patch saves)."""
    every_on = [pair.on for pairs in figures.values() for pair in pairs]
    lines = [
        "# What each speed patch of Rasa saves",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by"
        f" `python -m bench.patch_costs`: {messages} messages of the serving benchmark's"
        f" mix, in one process, {ROUNDS} interleaved rounds, each configuration played"
        f" right after the same mix with every patch on; the saving is the median of"
        f" those pairs'. A patch that saves under {KEEP_SHARE:.0%} of a turn's CPU goes.",
        "",
        "| patches off | CPU ms per message | saved by the patch | verdict |",
        "|---|--:|--:|---|",
        f"| none (all on) | {statistics.median(every_on):.2f} | | |",
    ]
    for module, pairs in figures.items():
        off = statistics.median(pair.off for pair in pairs)
        share = statistics.median(pair.saving for pair in pairs)
        if module == EVERY_PATCH:
            lines.append(f"| {module} | {off:.2f} | {share:.1%} | |")
            continue
        verdict = "keeps its place" if share >= KEEP_SHARE else "**under the bar**"
        lines.append(f"| `{module}` | {off:.2f} | {share:.1%} | {verdict} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measures, prints and writes the report."""
    model = serving_model(ROOT / "models")
    with action_server() as actions_url:
        figures = asyncio.run(measure(model, actions_url))
    book = ScriptBook(seed=0, tag="patch-costs-")
    messages = sum(len(book.next().messages) for _ in range(CONVERSATIONS))
    text = report(figures, messages)
    REPORT.write_text(text, encoding="utf-8")
    print(f"\n{text}")


if __name__ == "__main__":
    main()
