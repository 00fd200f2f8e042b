"""Replacements in the Rasa server process: action calls, model loading, failures."""
