"""The serving benchmark's record: reports/bench.md (tables) and reports/bench.png."""

from __future__ import annotations

import functools
import math
import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.load import EMPTY, ERROR, KIND_WEIGHTS, percentile
from bench.results import MIB, BotResult, Options, Row
from bench.retraining import ROOT

# Cores the rest of the machine may use during a level before the record says so.
NOISY_CORES = 0.25
REST_OF_MACHINE = "rest of the machine"

if TYPE_CHECKING:
    from bench.peer import Peer


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "not measured"
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _ratio(row: Row) -> str:
    if row.ours is None or row.peer is None or not row.peer:
        return "—"
    return f"{row.ours / row.peer:.2f}"


def _verdict(passed: bool | None) -> str:
    return {True: "pass", False: "**fail**", None: "—"}[passed]


def summary_table(rows: list[Row]) -> str:
    """The summary as a markdown table."""
    lines = [
        "| metric | ours | peer | ours / peer | target | result |",
        "|---|--:|--:|--:|---|---|",
    ]
    for row in rows:
        cells = [row.metric, _number(row.ours), _number(row.peer), _ratio(row)]
        lines.append("| " + " | ".join([*cells, row.target, _verdict(row.passed)]) + " |")
    return "\n".join(lines)


def levels_table(results: list[BotResult]) -> str:
    """Latency, throughput and failures per bot and concurrency level."""
    lines = [
        "| bot | conversations | messages | messages/s | p50 ms | p95 ms | p99 ms"
        " | empty replies | errors | lead forms stored |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        for level in result.levels:
            cells = [
                result.name,
                str(level.concurrency),
                str(len(level.samples)),
                f"{level.throughput:.1f}",
                *(f"{level.latency_ms(share):.1f}" for share in (0.5, 0.95, 0.99)),
                str(level.count(EMPTY)),
                str(level.count(ERROR)),
                f"{level.leads_stored}/{level.leads_finished}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kinds_table(results: list[BotResult]) -> str:
    """p50 / p99 latency (ms) per kind of conversation, per bot and level."""
    kinds = list(KIND_WEIGHTS)
    lines = [
        "| bot | conversations | " + " | ".join(f"{kind} p50 / p99" for kind in kinds) + " |",
        "|---|--:|" + "--:|" * len(kinds),
    ]
    for result in results:
        for level in result.levels:
            cells = [result.name, str(level.concurrency)]
            for kind in kinds:
                seconds = [
                    s.seconds for s in level.samples if s.kind == kind and s.outcome != ERROR
                ]
                p50, p99 = (1000 * percentile(seconds, share) for share in (0.5, 0.99))
                cells.append(f"{p50:.0f} / {p99:.0f}" if seconds else "—")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cpu_table(results: list[BotResult]) -> str:
    """Cores used during each level by each process, the load generator and the rest."""
    names = sorted(
        {name for r in results for level in r.levels for name in level.cores},
        key=lambda name: (not name.startswith("Rasa server"), name),
    )
    lines = [
        "| bot | conversations | " + " | ".join(names) + " |",
        "|---|--:|" + "--:|" * len(names),
    ]
    for result in results:
        for level in result.levels:
            cores = [f"{level.cores[name]:.2f}" if name in level.cores else "" for name in names]
            lines.append("| " + " | ".join([result.name, str(level.concurrency), *cores]) + " |")
    return "\n".join(lines)


def memory_table(results: list[BotResult]) -> str:
    """Resident memory per process after the load."""
    lines = ["| bot | process | resident MiB |", "|---|---|--:|"]
    for result in results:
        for name, size in result.memory.items():
            lines.append(f"| {result.name} | {name} | {size / MIB:.0f} |")
        lines.append(f"| {result.name} | **all** | **{result.total_memory / MIB:.0f}** |")
    return "\n".join(lines)


def plot(results: list[BotResult], path: Path) -> None:
    """p50 and p99 latency against concurrency, both bots, log y-axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    for result, colour in zip(results, ("tab:blue", "tab:orange"), strict=False):
        levels = [level.concurrency for level in result.levels]
        for share, style in ((0.5, "-"), (0.99, "--")):
            values = [level.latency_ms(share) for level in result.levels]
            label = f"{result.name} p{round(share * 100)}"
            axes.plot(levels, values, style, marker="o", color=colour, label=label)
    axes.axhline(100, color="grey", linestyle=":", label="100 ms (target: our p99 at 10)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    levels = sorted({level.concurrency for result in results for level in result.levels})
    axes.set_xticks(levels, [str(level) for level in levels])
    axes.set_xlabel("concurrent conversations (closed loop, no think time)")
    axes.set_ylabel("latency per message (ms)")
    axes.set_title("REST reply latency vs concurrency")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def revision() -> str:
    """The commit measured, and the tracked files changed since (the work tree is measured)."""
    git = ["git", "-C", str(ROOT)]
    run = functools.partial(subprocess.run, capture_output=True, text=True, check=False)
    commit = run([*git, "rev-parse", "--short", "HEAD"]).stdout.strip() or "unknown"
    changed = run([*git, "status", "--porcelain", "--untracked-files=no"]).stdout.split("\n")
    files = [line[3:] for line in changed if line.strip()]
    return f"commit {commit}" + (
        f" with uncommitted changes to {', '.join(files)}" if files else ""
    )


def machine() -> str:
    """The CPU count and model, and the memory, of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), "unknown CPU")  # fmt: skip
    meminfo = Path("/proc/meminfo").read_text().split()
    memory_gib = int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20
    return f"{os.cpu_count()} CPUs ({model}), {memory_gib:.0f} GiB RAM"


def _noise_lines(results: list[BotResult]) -> list[str]:
    """A caution when other work on the machine took CPU during the load."""
    busy = [
        f"{result.name} at {level.concurrency}: {level.cores[REST_OF_MACHINE]:.2f}"
        for result in results
        for level in result.levels
        if level.cores.get(REST_OF_MACHINE, 0) > NOISY_CORES
    ]
    if not busy:
        return []
    return [
        "",
        "**Caution:** other work on the machine used CPU during some levels (cores: "
        + "; ".join(busy)
        + "), so their latencies are pessimistic.",
    ]


def _fairness_lines(results: list[BotResult], peer: Peer) -> list[str]:
    stored = ", ".join(
        f"{r.name} {sum(level.leads_stored for level in r.levels)}/"
        f"{sum(level.leads_finished for level in r.levels)}"
        for r in results
    )
    return [
        "## How fair the comparison is",
        "",
        "- Ours keeps conversations in SQLite, as shipped; the peer in memory, as `rasa init`"
        " does: the tracker store's cost is on our side only.",
        "- Both bots call the same action server code. The peer's pipeline has no entity"
        " extractor, so the lead form never gets the roles and its scripts go astray (lead"
        f" forms stored under load: {stored}); its form turns then do other work than ours.",
        "- Ours runs as `make run` would with `RASA_WORKERS` set (see the note under"
        " *ours* above: several Rasa processes on one port share the SQLite tracker store"
        " and lock conversations in Redis); the peer is one process, as its in-memory"
        " tracker store cannot be shared.",
        "- Ours trains as `make train` does, `rasa train --skip-validation` (`bot validate`"
        " has run Rasa's validation before it, untimed); the peer with plain `rasa train`,"
        " which validates first (a few seconds of each of its figures).",
        "- The load generator runs on the same machine (its CPU is in the table above);"
        " each bot is started once, alone, after the other has stopped.",
        f"- The peer's training times were measured on {peer.measured_at} and are reused"
        " while Rasa, its config and the training files are unchanged (`--retrain`).",
        "",
    ]


def _training_line(result: BotResult) -> str:
    if result.training is None:
        return f"- {result.name}: not measured in this run"
    retrained = result.training.retrained
    steps = ", ".join(f"{step}: {', '.join(names) or 'none'}" for step, names in retrained.items())
    return f"- {result.name}: components trained per step: {steps}"


def _check_lines(result: BotResult) -> list[str]:
    lines = [f"{result.name}, one lead form alone (message → last line of the reply):", ""]
    for message, reply in result.check:
        last = (reply.strip().splitlines() or ["(no reply)"])[-1]
        lines.append(f"    {message}  →  {last[:100]}")
    return [*lines, ""]


def document(results: list[BotResult], rows: list[Row], options: Options, peer: Peer) -> str:
    """reports/bench.md: the summary, the levels, memory, and how it was measured."""
    ours, other = results
    header = [
        "# Serving benchmark: our bot and a `rasa init` peer",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} by `python -m bench.serving`"
        f"{' --quick (a smoke run, not a record)' if options.quick else ''}, on one machine:"
        f" {machine()}; the code at {revision()}.",
        f"Load average before each bot started: ours {ours.load_average:.2f},"
        f" peer {other.load_average:.2f}.",
        "",
        f"- ours: `{ours.model.relative_to(ROOT)}` (`make train`), SQLite tracker store as"
        " shipped, `bot.ops.stack`'s Rasa server and action server"
        f"{''.join(f' (note: {note})' for note in ours.notes)};",
        f"- peer: `{peer.model.relative_to(ROOT)}`, the same domain.yml and data/*.yml trained"
        " with Rasa's default config (what `rasa init` trains: DIET, ResponseSelector, TED,"
        " UnexpecTED, 100 epochs each), in-memory tracker store, the same action server;"
        f" trained {peer.measured_at}.",
        *_noise_lines(results),
        "",
        summary_table(rows),
        "",
        "## Latency per concurrency level",
        "",
        f"Each level: N visitors, closed loop (the next message when the reply arrives),"
        f" {options.warmup:g} s warm-up then {options.seconds:g} s measured; scripts drawn"
        f" with seed {options.seed} from FAQ paraphrases, chitchat, knowledge questions and"
        " lead forms (5 messages, from a rich first message to the summary's *Send it*).",
        "",
        levels_table(results),
        "",
        "![latency vs concurrency](bench.png)",
        "",
        "By kind of conversation (p50 / p99 ms; a lead form's turns call the action server):",
        "",
        kinds_table(results),
        "",
        f"CPU cores used during each level, warm-up included (the machine has"
        f" {os.cpu_count()}); the rest of the machine is everything else running meanwhile:",
        "",
        cpu_table(results),
        "",
        "## Resident memory after the load (VmRSS, process and children)",
        "",
        memory_table(results),
        "",
        *_fairness_lines(results, peer),
        "## Training",
        "",
        *(_training_line(result) for result in results),
        "",
        "## The lead form check",
        "",
        *(line for result in results for line in _check_lines(result)),
    ]
    return "\n".join(header).rstrip() + "\n"
