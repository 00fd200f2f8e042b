"""bot.rasa_plugins.channels.turn_failures: what a failed turn leaves in the log."""

from __future__ import annotations

from bot.rasa_plugins.channels.turn_failures import failure_report


def test_a_failure_report_names_the_conversation_by_its_fingerprint_only():
    sender = "5f2b9c0d4e6a47b8a1c3d5e7f9a0b2c4"
    try:
        raise RuntimeError(f"Could not acquire lock for conversation_id '{sender}'.")
    except RuntimeError as error:
        report = failure_report(error, sender, "0a1b2c3d4e")
    assert sender not in report
    assert "conversation_id '<conversation 0a1b2c3d4e>'" in report
    assert report.startswith("Traceback (most recent call last):")
    assert "RuntimeError" in report
