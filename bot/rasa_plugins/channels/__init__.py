"""The bot's own input channels: Rasa's, with their input checked and their failures seen."""
