"""The project's spaCy pipeline: a blank English model with an entity ruler."""
