"""Replacements of the work Rasa 3.6 does on every turn (each tested against Rasa's own)."""
