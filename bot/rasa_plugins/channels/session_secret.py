"""The session signer of this Rasa process, shared by its REST and socket.io channels.

Its secret is ``CHAT_SESSION_SECRET``; without one the process makes one up at
its first use, and says once (without the value) that its sessions end with it.
"""

from __future__ import annotations

import functools
import logging

from bot.rasa_plugins.channels.sessions import SessionSigner, made_up_secret
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def signer_for(settings: Settings) -> SessionSigner:
    """A signer of the settings' secret, or of a made-up one (logged at WARNING)."""
    secret = settings.chat_session_secret
    if secret is None:
        logger.warning(
            "CHAT_SESSION_SECRET is not set: this process made up its own, so chat"
            " sessions will not survive its restart nor work on another replica"
        )
        secret = made_up_secret()
    return SessionSigner(secret)


@functools.cache
def process_signer() -> SessionSigner:
    """This process's signer (made once, from the environment's settings)."""
    return signer_for(load_settings())
