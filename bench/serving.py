"""Serving benchmark: our bot against a peer, the same data under ``rasa init``'s config.

One run on one machine, one bot at a time: each bot's Rasa server and
action server (a scratch SQLite lead store each), then the time from spawn
to the first answer, a lead form played alone as a check, the load levels
(1, 10 and 50 concurrent scripted visitors on the REST channel), and the
resident memory of its processes after the load. Training figures: ours
measured on a copy (bench.retraining), the peer's from bench.peer (reused
while its inputs are unchanged). Writes reports/bench.md and reports/bench.png.

Run with ``make bench``; ``python -m bench.serving --quick`` is a short smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import peer as peer_project
from bench.load import LEAD_STORED, LevelResult, ScriptBook, run_level, walk
from bench.processes import (
    Running,
    all_listening,
    cpu_seconds,
    first_answer,
    free_port,
    machine_cpu_seconds,
    resident_memory,
    spawn,
    stop,
    wait_healthy,
)
from bench.report import REST_OF_MACHINE, document, plot, summary_table
from bench.results import BotResult, Options, summary
from bench.retraining import ROOT, TrainingFigures, measure_ours, training_files
from bot.ops import stack
from bot.ops.ports import accepts_connections
from bot.ops.supervision import Service
from bot.settings import load_settings
from bot.training.model_files import MODELS_DIR, ModelError, serving_model

ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}
LOG_DIR = ROOT / "build/bench/logs"
# Locks of several Rasa processes when LOCK_STORE_URL is not set: a database of its own.
LOCAL_REDIS = "redis://127.0.0.1:6379/15"
LOAD_GENERATOR, MACHINE = "load generator", "machine"


@dataclass(frozen=True)
class Deployment:
    """One bot as served: its Rasa server and action server, and their environment."""

    name: str
    model: Path
    rasa: tuple[Service, ...]  # one, or several processes sharing the port
    actions: Service
    rasa_url: str
    rasa_cwd: Path
    environment: dict[str, str]
    notes: tuple[str, ...] = ()


def _environment(scratch: Path, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        **ENVIRONMENT,
        "DATABASE_URL": f"sqlite:///{scratch / 'leads.db'}",
        **overrides,
    }


def stale_inputs(model: Path) -> list[str]:
    """Training inputs changed after ``model`` was trained (it may not be what they give)."""
    components = sorted((ROOT / "bot/rasa_plugins/nlu").glob("*.py"))
    inputs = [ROOT / "config.yml", *training_files(), *components]
    trained = model.stat().st_mtime
    return [str(path.relative_to(ROOT)) for path in inputs if path.stat().st_mtime > trained]


def scale_out(workers: int) -> tuple[dict[str, str], str]:
    """The settings for ``workers`` Rasa processes, and a note on what was run.

    Several processes need Redis for their shared locks: LOCK_STORE_URL if set,
    else the one on this machine's default port; without it, one process.
    """
    one = {"RASA_WORKERS": "1"}
    if workers <= 1:
        return one, "one Rasa server process"
    url = os.environ.get("LOCK_STORE_URL") or LOCAL_REDIS
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or 6379
    if not accepts_connections(host, port):
        return one, f"one Rasa server process (no Redis at {host}:{port} for {workers})"
    settings = {"RASA_WORKERS": str(workers), "LOCK_STORE_URL": url}
    return settings, f"{workers} Rasa server processes on one port, locks in Redis ({url})"


def our_deployment(scratch: Path, workers: int = 1) -> Deployment:
    """Our bot, as ``bot run`` serves it: the newest model, SQLite tracker store."""
    rasa_port, actions_port = free_port(), free_port()
    scaled, processes_note = scale_out(workers)
    environment = _environment(
        scratch,
        TRACKER_STORE_URL=f"sqlite:///{scratch / 'tracker.db'}",
        # Every visitor comes from this machine's one address, hundreds a second.
        RATE_LIMIT_PER_IP="0",
        RASA_PORT=str(rasa_port),
        ACTIONS_PORT=str(actions_port),
        LOG_DIR=str(scratch),  # bot.ops.stack writes Rasa's endpoints file there
        **scaled,
    )
    settings = load_settings(environment)
    try:
        model = serving_model(ROOT / MODELS_DIR)
    except ModelError as error:
        raise SystemExit(f"error: {error}") from None
    stale = stale_inputs(model)
    notes = (f"changed after this model was trained: {', '.join(stale)}",) if stale else ()
    return Deployment(
        "ours",
        model,
        tuple(stack.rasa_servers(settings, model)),
        stack.action_server(settings),
        f"http://127.0.0.1:{rasa_port}",
        ROOT,
        environment,
        (
            f"ours ran as {processes_note}",
            "ours ran with no rate limit per IP address (every visitor comes from this machine's)",
            *notes,
        ),
    )


def peer_deployment(peer: peer_project.Peer, scratch: Path) -> Deployment:
    """The peer as a ``rasa init`` project runs: in-memory tracker store, REST channel."""
    rasa_port, actions_port = free_port(), free_port()
    environment = _environment(scratch)
    endpoints, credentials = peer_project.write_serving_files(peer.folder, actions_port)
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(peer.model),
        "--port", str(rasa_port),
        "--endpoints", str(endpoints),
        "--credentials", str(credentials),
    ]  # fmt: skip
    settings = load_settings({**environment, "ACTIONS_PORT": str(actions_port)})
    return Deployment(
        "peer",
        peer.model,
        (Service("Rasa server", command),),
        stack.action_server(settings),
        f"http://127.0.0.1:{rasa_port}",
        peer.folder,
        environment,
    )


def upgrade_lead_store(environment: dict[str, str]) -> None:
    """Creates the scratch lead store's schema (``bot db upgrade``)."""
    bot = Path(sys.executable).with_name("bot")
    result = subprocess.run(
        [str(bot), "db", "upgrade"], env=environment, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"bot db upgrade failed:\n{result.stdout}{result.stderr}")


def _start(deployment: Deployment) -> tuple[Running, list[Running]]:
    """The action server, then the Rasa servers (start-up is timed from their spawn)."""

    def run(service: Service, cwd: Path) -> Running:
        log = LOG_DIR / f"{deployment.name}-{service.log_name}"
        environment = {**deployment.environment, **service.environment}
        return spawn(service.name, service.command, log, environment, cwd)

    actions = run(deployment.actions, ROOT)
    return actions, [run(service, deployment.rasa_cwd) for service in deployment.rasa]


async def _check_lead(deployment: Deployment, seed: int) -> list[tuple[str, str]]:
    """One lead form alone: does the script reach the confirmation?"""
    transcript = await walk(deployment.rasa_url, ScriptBook(seed, "check-").lead())
    verdict = "reaches" if LEAD_STORED in transcript[-1][1] else "does NOT reach"
    print(f"{deployment.name}: a lead form alone {verdict} the confirmation", flush=True)
    return transcript


def _cpu(processes: Sequence[Running]) -> dict[str, float]:
    """CPU seconds used so far by each process, this one (the load generator) and the machine."""
    used = {running.name: cpu_seconds(running) for running in processes}
    return {**used, LOAD_GENERATOR: time.process_time(), MACHINE: machine_cpu_seconds()}


def _cores(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, float]:
    """Cores used between two :func:`_cpu` readings; the machine's total becomes the
    rest of the machine (the other engineer's work, the system)."""
    cores = {name: (after[name] - before[name]) / seconds for name in before}
    ours = sum(value for name, value in cores.items() if name != MACHINE)
    cores[REST_OF_MACHINE] = max(0.0, cores.pop(MACHINE) - ours)
    return cores


async def _load(
    deployment: Deployment, options: Options, processes: Sequence[Running]
) -> list[LevelResult]:
    """Every concurrency level in turn, each with conversations of its own."""
    levels = []
    for concurrency in options.levels:
        book = ScriptBook(options.seed + concurrency, f"c{concurrency}-")
        before = _cpu(processes)
        level = await run_level(
            deployment.rasa_url, concurrency, book, options.warmup, options.seconds
        )
        level.cores = _cores(before, _cpu(processes), options.warmup + options.seconds)
        print(
            f"{deployment.name}: {concurrency:>3} conversations: {level.throughput:6.1f}"
            f" messages/s, p50 {level.latency_ms(0.5):7.1f} ms,"
            f" p99 {level.latency_ms(0.99):7.1f} ms",
            flush=True,
        )
        levels.append(level)
    return levels


async def measure(
    deployment: Deployment, options: Options, training: TrainingFigures | None
) -> BotResult:
    """Starts one bot, times its first answer, loads it level by level, stops it."""
    upgrade_lead_store(deployment.environment)
    load_average = os.getloadavg()[0]
    actions, servers = _start(deployment)
    processes = [*servers, actions]
    try:
        startup = await first_answer(deployment.rasa_url, servers[0])
        print(f"{deployment.name}: first answer {startup:.1f} s after spawn", flush=True)
        await all_listening(servers, urlsplit(deployment.rasa_url).port or 80)
        wait_healthy(str(deployment.actions.health_url), actions)
        check = await _check_lead(deployment, options.seed)
        levels = await _load(deployment, options, processes)
        memory = {process.name: resident_memory(process) for process in processes}
    finally:
        for process in processes:
            stop(process)
    result = BotResult(
        deployment.name, deployment.model, startup, levels, memory, training, check, load_average
    )
    result.notes.extend(deployment.notes)
    return result


def parse_options(argv: Sequence[str] | None = None) -> Options:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 and 10 conversations, 5 s each, no training of ours; "
        "writes build/bench/quick/",
    )
    parser.add_argument(
        "--retrain",
        action="store_true",
        help="train the peer again even if its inputs did not change",
    )
    parser.add_argument("--levels", default=None, help="concurrency levels (default 1,10,50)")
    parser.add_argument("--seconds", type=float, default=None, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=None, help="warm-up seconds per level")
    parser.add_argument("--seed", type=int, default=0, help="seed of the conversation mix")
    parser.add_argument("--output", type=Path, default=None, help="where bench.md/png go")
    parser.add_argument(
        "--skip-our-training", action="store_true", help="do not measure our training times"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="our Rasa server processes (RASA_WORKERS; default 2, one per core; more than 1"
        " needs Redis: LOCK_STORE_URL or 127.0.0.1:6379)",
    )
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    levels = args.levels or ("1,10" if quick else "1,10,50")
    return Options(
        levels=tuple(int(level) for level in levels.split(",")),
        warmup=args.warmup if args.warmup is not None else (1.0 if quick else 3.0),
        seconds=args.seconds if args.seconds is not None else (5.0 if quick else 20.0),
        seed=args.seed,
        output=args.output or ROOT / ("build/bench/quick" if quick else "reports"),
        retrain_peer=args.retrain,
        our_training=not (quick or args.skip_our_training),
        quick=quick,
        workers=max(1, args.workers),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Measures both bots and writes the record."""
    options = parse_options(argv)
    peer = peer_project.prepare(retrain=options.retrain_peer)
    ours_training = None
    if options.our_training:
        print("ours: training on a copy (cold, one NLU example, one answer reworded)...")
        ours_training = measure_ours()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as folder:
        for name, build, training in (
            ("ours", lambda scratch: our_deployment(scratch, options.workers), ours_training),
            ("peer", lambda scratch: peer_deployment(peer, scratch), peer.training),
        ):
            scratch = Path(folder) / name
            scratch.mkdir()
            results.append(asyncio.run(measure(build(scratch), options, training)))
    rows = summary(*results)
    options.output.mkdir(parents=True, exist_ok=True)
    plot(results, options.output / "bench.png")
    markdown = document(results, rows, options, peer)
    (options.output / "bench.md").write_text(markdown, encoding="utf-8")
    print()
    print(summary_table(rows))
    print(f"\nWrote {options.output / 'bench.md'} and {options.output / 'bench.png'}")


if __name__ == "__main__":
    main()
