"""Custom actions served by the rasa-sdk action server (one module per user goal)."""
