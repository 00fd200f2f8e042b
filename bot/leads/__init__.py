"""Leads: what the bot collects from a visitor who wants a team, and where it goes."""
