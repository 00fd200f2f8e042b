"""Replacements in ``rasa train`` and Rasa's command line."""
