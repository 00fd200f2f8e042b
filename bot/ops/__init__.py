"""The product's processes and how they are run.

- ``stack``: which processes ``bot run`` and ``bot serve`` start, with what;
- ``supervision/``: starting, health-checking, restarting and stopping them;
- ``rasa_server``: Rasa's command line with the project's fixes installed;
- ``action_server``: rasa-sdk's server, closed to strangers and quiet;
- ``container``: one service per container (``bot serve``, ``bot healthcheck``);
- ``log_redaction``: personal data kept out of every process's logs;
- ``ports``: free ports and listening checks.
"""
