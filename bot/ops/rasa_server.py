"""Rasa's command line (``rasa run``, ``rasa shell``, ``rasa train``) with the project's fixes.

``python -m bot.ops.rasa_server run ...`` takes ``rasa``'s own arguments and, before
Rasa runs:

- serves or trains a model with no TensorFlow component without importing
  TensorFlow (:mod:`bot.rasa_patches.tensorflow_stand_in`: hundreds of MiB less
  per server process and seconds less start-up);
- keeps personal data out of the logs (:mod:`bot.ops.log_redaction`);
- installs the patches of Rasa its command needs (:mod:`bot.rasa_patches`:
  ``turn`` and ``serving`` to serve, ``training`` to train, ``command_line``
  always), importing ``skops.io`` first: on import it scans every module in
  ``sys.modules`` (seconds once Rasa has loaded its thousands of modules);
- caps request bodies at ``MAX_REQUEST_BYTES`` (Sanic's default is 100 MB;
  :func:`bot.rasa_plugins.channels.rest.limit_request_bodies`), refuses requests whose
  framing is unclear (a ``Content-Length`` of ``-1`` froze Sanic 21.12 for
  good; :mod:`bot.http_framing`) and answers Sanic's own errors in JSON
  whatever the client's ``Accept`` header (:func:`answer_errors_in_json`);
- with several processes on one port (``RASA_WORKERS``, see ``bot.ops.stack``):
  listens with ``SO_REUSEPORT``, the later ones starting once the first listens;
- alone, refuses a port another program listens on with one line and exit code 1
  (Sanic logs its failure to bind and returns, and ``rasa run`` then exits 0).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Set by bot run for each of several Rasa server processes on one port.
SHARED_PORT_VARIABLE = "RASA_SHARED_PORT"
# Set for the second and later of them: the port to see answered before starting.
START_AFTER_VARIABLE = "RASA_START_AFTER_PORT"
FIRST_SERVER_TIMEOUT_SECONDS = 120.0


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

    from bot.ops.ports import accepts_connections

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if accepts_connections("127.0.0.1", port):
            return True
        time.sleep(0.2)
    return False


def serve_with_fixes() -> None:
    """The fixes of ``rasa run`` and ``rasa shell``: the server's own."""
    import skops.io  # noqa: F401  # while sys.modules is small (see the module docstring)

    from bot import rasa_patches
    from bot.http_framing import install as refuse_unclear_framing
    from bot.rasa_plugins.channels.rest import limit_request_bodies

    refuse_unclear_framing()
    limit_request_bodies()
    answer_errors_in_json()
    rasa_patches.install(rasa_patches.TURN, rasa_patches.SERVING)
    if os.environ.get(SHARED_PORT_VARIABLE) == "true":
        rasa_patches.install(rasa_patches.SHARED_PORT)
    first_port = os.environ.get(START_AFTER_VARIABLE, "")
    if first_port.isdigit():
        wait_for_first_server(int(first_port))


def port_taken_by_another(arguments: list[str]) -> str | None:
    """Why ``rasa run`` with ``arguments`` cannot listen (another program holds its
    address), or None. Processes sharing a port (``SO_REUSEPORT``) are not asked."""
    from bot.ops.ports import can_listen

    if os.environ.get(SHARED_PORT_VARIABLE) == "true":
        return None
    interface = option_value(arguments, "--interface", "-i") or "0.0.0.0"
    port = option_value(arguments, "--port", "-p") or "5005"
    if port.isdigit() and not can_listen(interface, int(port)):
        return f"error: port {port} ({interface}) is already in use by another program"
    return None


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
    """Installs :mod:`bot.rasa_patches.tensorflow_stand_in` if the model served or
    trained runs without TensorFlow; before anything imports Rasa."""
    from bot.rasa_patches.tensorflow_stand_in import install_for_config, install_for_model

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
    if command == ["run"] and (taken := port_taken_by_another(sys.argv[2:])):
        raise SystemExit(taken)
    install_tensorflow_stand_in("".join(command), sys.argv[2:])
    from bot.ops.log_redaction import install_for_this_process

    install_for_this_process()
    from bot import rasa_patches

    if command in (["run"], ["shell"]):
        serve_with_fixes()
    elif command == ["train"]:
        rasa_patches.install(rasa_patches.TRAINING)
    rasa_patches.install(rasa_patches.COMMAND_LINE)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
