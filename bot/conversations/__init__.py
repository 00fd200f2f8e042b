"""Real conversations, read from Rasa's SQL tracker store: review and counts."""
