"""``python -m bot.web``: serves the web app with the settings of the environment."""

from __future__ import annotations

import sys

from bot.leads.store import LeadStoreError
from bot.settings import SettingsError, load_settings
from bot.web.server import serve


def main() -> int:
    """Serves until stopped; returns the exit code (2: bad settings, 1: no database)."""
    try:
        serve(load_settings())
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except LeadStoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
