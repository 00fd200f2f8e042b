"""The agency chatbot's own logic, importable without a running Rasa server."""
