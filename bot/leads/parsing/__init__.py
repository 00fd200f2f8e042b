"""Pure parsers that turn a visitor's words into lead field values.

Each parser returns the value, ``None`` when the text does not mention the
field, or :class:`Invalid` with a reason code when it does but the value is
unusable. Reason codes name a domain response: ``utter_<field>_invalid_<code>``.
"""

from bot.leads.parsing.result import Invalid

__all__ = ["Invalid"]
