"""Rasa's command line (``rasa run``, ``rasa shell``, ``rasa train``) with fixes of Rasa 3.6.

Each fix was found by profiling (py-spy, cProfile) and keeps Rasa's behaviour.

The server (``run``, ``shell``):

- A model with no TensorFlow component is served without loading TensorFlow
  (:mod:`bot.tensorflow_stand_in`): about 350 MiB less per server process and
  about 3 s less start-up.
- Each custom action call opened (and closed) a new connection to the action
  server; the calls share kept-alive connections (:mod:`bot.action_connections`).
- Rasa checked every answer of the action server against a JSON schema it
  validated again each time, about 20 ms of CPU per custom action call; the
  schema is compiled once (:mod:`bot.action_schema`).
- Each turn runs the model graph several times through dask, which took
  about a fifth as much CPU as the components it ran; the same nodes are run
  in plain topological order instead (:mod:`bot.graph_runner`).
- Every tracker copies each slot through ``copy``'s generic protocol, about
  200 times per turn: slots get a direct ``__copy__`` (:mod:`bot.slot_copies`).
- The intent classifier builds and checks several sparse matrices for the few
  dozen features of one message; it scores them directly instead
  (:mod:`bot.intent_scores`). So do the count-vector featurizers, which built
  four scikit-learn matrices per message (:mod:`bot.count_vectors`).
- The processor copies the tracker before each action it runs, and Rasa copies
  a tracker by replaying all its events; the copy takes the state over
  directly instead (:mod:`bot.tracker_copies`).
- Each prediction replayed the whole conversation two or three times, once
  for each policy asking for its past states; it is replayed once
  (:mod:`bot.history_states`). ``RulePolicy`` parsed each rule again for
  each of its ~200 checks per prediction; each is parsed once
  (:mod:`bot.rule_matching`). Whether the domain is empty was decided again
  for each message by serialising all of it (:mod:`bot.domain_emptiness`).
- Rasa deep-copies events, states and slots for its debug log lines, logged
  or not (about 3 % of the CPU); not while debug lines are dropped
  (:mod:`bot.debug_log_copies`).
- Loading a conversation turns each stored event back into its class by
  scanning every subclass of ``Event`` (``Event.resolve_by_type``): 7 % of
  the server's time. The classes found are remembered by type name.
- A loaded model leaves about 550,000 objects on the heap, and each full
  garbage collection scanned them all: a pause of about 440 ms every few
  hundred messages, which made the p99 latency under load. Once the model is
  loaded they are moved out of the collector's way (``gc.freeze``).
- Loading the model, Rasa's ``LogisticRegressionClassifier`` imports
  ``skops.io``, which on import looks up the module of every NumPy and SciPy
  ufunc by scanning all of ``sys.modules``: 8 s once Rasa and TensorFlow have
  loaded 5,600 modules, 2 s before them. It is imported first.
- A typed ``/faq`` (no topic chosen) made Rasa's response action raise a
  ``KeyError`` with a traceback; it says nothing instead
  (:func:`answer_no_selection_quietly`).
- A conversation the tracker store cannot read or save fails its turn instead
  of going on empty or in memory (:mod:`bot.tracker_store_health`).
- Request bodies are capped at ``MAX_REQUEST_BYTES`` (Sanic's default is
  100 MB; :func:`bot.channels.rest.limit_request_bodies`).
- A request whose framing is unclear (a ``Content-Length`` of ``-1`` froze
  Sanic 21.12 for good) is refused before its body is read
  (:mod:`bot.http_framing`), and Sanic's own errors answer in JSON whatever
  the client's ``Accept`` header says (:func:`answer_errors_in_json`).
- Several processes can share one port (``RASA_WORKERS``, see ``bot.stack``):
  ``SO_REUSEPORT``, the later ones starting once the first listens.

Training (``train``, as ``make train`` runs it):

- the schema validation of YAML contents that passed it before is skipped
  (:mod:`bot.validated_yaml_cache`, about 1 s of each run);
- the components' packages are found, not imported (Rasa imports each: over
  a second for spaCy even when no spaCy component retrains);
- the FAQ answers are plain responses (``utter_faq_<topic>``, see
  ``bot.faq.topics``), so Rasa would warn once per FAQ example (about 800
  lines) that it has no response: that warning is ignored.

``python -m bot.rasa_server run ...`` takes ``rasa``'s own arguments.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

# Set by bot run for each of several Rasa server processes on one port.
SHARED_PORT_VARIABLE = "RASA_SHARED_PORT"
# Set for the second and later of them: the port to see answered before starting.
START_AFTER_VARIABLE = "RASA_START_AFTER_PORT"
FIRST_SERVER_TIMEOUT_SECONDS = 120.0


def remember_event_types() -> None:
    """Makes ``Event.resolve_by_type`` remember each class it finds, by type name."""
    from rasa.shared.core.events import Event

    scan = Event.resolve_by_type
    if getattr(scan, "remembers", False):
        return
    classes: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
        found = classes.get(type_name)
        if found is None:
            found = scan(type_name, default)
            if found is not None and getattr(found, "type_name", None) == type_name:
                classes[type_name] = found
        return found

    resolve_by_type.remembers = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


def freeze_heap_after_loading() -> None:
    """Makes the Rasa server freeze the heap (``gc.freeze``) once it has loaded the model."""
    import rasa.core.run

    load = rasa.core.run.load_agent_on_start
    if getattr(load, "freezes", False):
        return

    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        gc.collect()
        gc.freeze()  # what exists now lives as long as the server: never scan it again
        return agent

    load_then_freeze.freezes = True  # type: ignore[attr-defined]
    rasa.core.run.load_agent_on_start = load_then_freeze


def answer_no_selection_quietly() -> None:
    """Makes Rasa's response action of a retrieval intent (``utter_faq``) say nothing,
    as Rasa means it to, when the message carries no response selection: a typed
    ``/faq`` (Rasa's command syntax skips the NLU), which raised ``KeyError`` and
    logged a traceback. The chat channel then tells the visitor the command was not
    understood."""
    from rasa.core.actions.action import ActionRetrieveResponse
    from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME

    run = ActionRetrieveResponse.run
    if getattr(run, "answers_no_selection", False):
        return

    async def run_with_a_selection(
        self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> Any:
        latest = tracker.latest_message
        if latest is not None and RESPONSE_SELECTOR_PROPERTY_NAME not in latest.parse_data:
            return []
        return await run(self, output_channel, nlg, tracker, domain)

    run_with_a_selection.answers_no_selection = True  # type: ignore[attr-defined]
    ActionRetrieveResponse.run = run_with_a_selection


def share_the_port() -> None:
    """Makes the server listen with ``SO_REUSEPORT``: the kernel spreads new
    connections over every Rasa server process listening on the same port."""
    import sanic.server.runners

    serve = sanic.server.runners.serve
    if getattr(serve, "shares_port", False):
        return

    def serve_on_shared_port(*args: Any, **kwargs: Any) -> Any:
        return serve(*args, **{**kwargs, "reuse_port": True})

    serve_on_shared_port.shares_port = True  # type: ignore[attr-defined]
    sanic.server.runners.serve = serve_on_shared_port


# Rasa's warning for each retrieval intent example without a response in the NLU data.
NO_RESPONSE_WARNING = r"Your training data contains an example '.*' for the 'faq/"


def ignore_faq_examples_without_response() -> None:
    """Adds an ignore filter for ``NO_RESPONSE_WARNING`` after Rasa sets up its own filters.

    Rasa's CLI puts "once" for every ``UserWarning`` at the front of the filters
    (``rasa.utils.common._filter_warnings``), so a filter set beforehand (or in
    ``PYTHONWARNINGS``) would never be reached.
    """
    import warnings

    import rasa.utils.common

    set_up = rasa.utils.common._filter_warnings
    if getattr(set_up, "ignores_faq_examples", False):
        return

    def set_up_then_ignore(*args: Any, **kwargs: Any) -> None:
        set_up(*args, **kwargs)
        warnings.filterwarnings("ignore", message=NO_RESPONSE_WARNING, category=UserWarning)

    set_up_then_ignore.ignores_faq_examples = True  # type: ignore[attr-defined]
    rasa.utils.common._filter_warnings = set_up_then_ignore


def answer_errors_in_json() -> None:
    """Makes Sanic answer its own errors (a bad chunk, an unknown route) in JSON:
    Sanic reads ``SANIC_*`` variables into the config of the app Rasa creates,
    whose fallback format follows the client's ``Accept`` header (HTML by default)."""
    os.environ["SANIC_FALLBACK_ERROR_FORMAT"] = "json"


def wait_for_first_server(port: int, timeout: float = FIRST_SERVER_TIMEOUT_SECONDS) -> bool:
    """Waits until a server listens on ``127.0.0.1:port``, at most ``timeout`` seconds.

    The second and later Rasa processes start loading only then: the first one
    loads alone and answers sooner, instead of all of them sharing the cores.

    Returns:
        Whether one listened in time (after the timeout, this one starts anyway).
    """
    import time

    from bot.ports import accepts_connections

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if accepts_connections("127.0.0.1", port):
            return True
        time.sleep(0.2)
    return False


def unavailable_packages(package_names: list[str]) -> set[str]:
    """``rasa.utils.common.find_unavailable_packages``, by finding, not importing, each."""
    import importlib.util

    missing = set()
    for name in package_names:
        try:
            if importlib.util.find_spec(name) is None:
                missing.add(name)
        except (ImportError, ValueError):
            missing.add(name)
    return missing


def train_with_fixes() -> None:
    """The fixes of ``rasa train``: what it does again on every run, done once."""
    import rasa.utils.common

    from bot.validated_yaml_cache import remember_validated_yaml

    remember_validated_yaml()
    rasa.utils.common.find_unavailable_packages = unavailable_packages


def speed_up_turns() -> None:
    """The fixes of Rasa's work on each turn, for a server or a test's ``Agent``."""
    from bot.count_vectors import use_direct_count_vectors
    from bot.debug_log_copies import skip_copies_for_dropped_debug_lines
    from bot.domain_emptiness import decide_domain_emptiness_once
    from bot.graph_runner import use_sequential_graph_runner
    from bot.history_states import use_replayed_history_states
    from bot.intent_scores import use_direct_intent_scores
    from bot.rule_matching import use_parsed_rules
    from bot.slot_copies import use_fast_slot_copies
    from bot.tracker_copies import use_tracker_copies_without_replay

    use_sequential_graph_runner()
    use_fast_slot_copies()
    use_tracker_copies_without_replay()
    use_direct_count_vectors()
    use_direct_intent_scores()
    use_replayed_history_states()
    use_parsed_rules()
    decide_domain_emptiness_once()
    skip_copies_for_dropped_debug_lines()


def serve_with_fixes() -> None:
    """The fixes of ``rasa run`` and ``rasa shell``: the server's own."""
    import skops.io  # noqa: F401  # while sys.modules is small (see the module docstring)

    from bot.action_connections import keep_action_connections_alive
    from bot.action_schema import use_compiled_action_schema
    from bot.channels.rest import limit_request_bodies
    from bot.http_framing import install as refuse_unclear_framing
    from bot.tracker_store_health import fail_instead_of_falling_back

    refuse_unclear_framing()
    limit_request_bodies()
    answer_errors_in_json()
    fail_instead_of_falling_back()
    speed_up_turns()
    use_compiled_action_schema()
    keep_action_connections_alive()
    remember_event_types()
    answer_no_selection_quietly()
    freeze_heap_after_loading()
    if os.environ.get(SHARED_PORT_VARIABLE) == "true":
        share_the_port()
    first_port = os.environ.get(START_AFTER_VARIABLE, "")
    if first_port.isdigit():
        wait_for_first_server(int(first_port))


def option_value(arguments: list[str], *names: str) -> str | None:
    """The value of the first option among ``names`` in command line ``arguments``."""
    for index, argument in enumerate(arguments):
        option, equals, value = argument.partition("=")
        if option in names and equals:
            return value
        if argument in names and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def model_argument(arguments: list[str]) -> Path | None:
    """The model file named by ``--model``/``-m`` in ``rasa run`` arguments, if a file."""
    named = option_value(arguments, "--model", "-m")
    return Path(named) if named is not None and Path(named).is_file() else None


def install_tensorflow_stand_in(command: str, arguments: list[str]) -> bool:
    """Installs :mod:`bot.tensorflow_stand_in` if the model served or trained runs without
    TensorFlow; before anything imports Rasa."""
    from bot.tensorflow_stand_in import install_for_config, install_for_model

    if command in ("run", "shell"):
        model = model_argument(arguments)
        return model is not None and install_for_model(model)
    if command == "train":
        config = option_value(arguments, "--config", "-c") or "config.yml"
        return install_for_config(Path(config))
    return False


def main() -> None:
    """Runs the ``rasa`` command line with the fixes its command needs."""
    command = sys.argv[1:2]
    install_tensorflow_stand_in("".join(command), sys.argv[2:])
    from bot.log_redaction import install_for_this_process

    install_for_this_process()
    if command in (["run"], ["shell"]):
        serve_with_fixes()
    elif command == ["train"]:
        train_with_fixes()
    ignore_faq_examples_without_response()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
