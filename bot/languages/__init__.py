"""The visitor's language: which one a message is in, when the bot is sure.

The bot answers in English; a message clearly in another language gets one
line in that language saying so (the domain's ``utter_english_only``).
"""

from bot.languages.detect import MIN_PROBABILITY, visitor_language

__all__ = ["MIN_PROBABILITY", "visitor_language"]
