"""Keeping the product's processes up (``bot run``): start them, wait until they
answer, restart one that dies or hangs, stop them together.

- :mod:`~bot.ops.supervision.supervisor`: the supervisor and its start-up;
- :mod:`~bot.ops.supervision.service`: a service and its running process;
- :mod:`~bot.ops.supervision.health_watch`: a running service's probes, a hang found;
- :mod:`~bot.ops.supervision.health_probes`: one probe of a health URL, per process
  where several share a port (:mod:`~bot.ops.supervision.socket_owners`);
- :mod:`~bot.ops.supervision.restart_policy`: how long to wait before a restart.
"""

from bot.ops.supervision.restart_policy import RestartPolicy
from bot.ops.supervision.service import Service, log_tail
from bot.ops.supervision.supervisor import EXIT_INTERRUPTED, StartupError, Supervisor

__all__ = ["EXIT_INTERRUPTED", "RestartPolicy", "Service", "StartupError", "Supervisor", "log_tail"]
