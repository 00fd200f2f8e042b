"""The project's own Rasa NLU components (loaded from config.yml by class path)."""
