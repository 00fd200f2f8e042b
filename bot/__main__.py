"""Lets ``python -m bot`` run the ``bot`` command."""

import sys

from bot.cli import main

sys.exit(main())
