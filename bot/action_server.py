"""The action server: rasa-sdk's own, in a process that never loads TensorFlow.

The knowledge search tokenizes with spaCy, and spaCy's ``thinc`` imports
TensorFlow whenever it is installed (Rasa installs it). No action needs it:
blocking the import keeps about 360 MB out of the action server and 2 s out
of the first knowledge question. ``python -m bot.action_server`` takes
rasa-sdk's arguments (``--actions actions --port 5055``).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Runs rasa-sdk's action server with TensorFlow's import blocked and personal
    data kept out of its logs."""
    # A None entry makes `import tensorflow` raise ImportError, which thinc
    # handles by running without TensorFlow.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    from rasa_sdk.__main__ import main as serve_actions

    from bot.log_redaction import install_for_this_process

    install_for_this_process()
    serve_actions()


if __name__ == "__main__":
    main()
