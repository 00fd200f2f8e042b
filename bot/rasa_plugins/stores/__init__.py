"""Where Rasa keeps conversations and locks, and where it publishes events
(each named by class path in ``endpoints.yml``)."""
