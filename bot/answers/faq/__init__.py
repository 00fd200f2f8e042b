"""The FAQ topics and the choice of topics to suggest when the bot is unsure."""
