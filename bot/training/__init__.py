"""The data-quality loop of the maintainers: from training data to a served model.

- ``validation`` and ``project_checks``: ``bot validate`` (Rasa's checks with
  every warning explained, and the project's own);
- ``nlp/``: the spaCy pipeline (entity ruler) built from the entity patterns;
- ``evaluation/``: ``bot evaluate``, NLU cross-validation, test stories, the F1 baseline;
- ``review/``: ``bot review``, real conversations turned into training data;
- ``model_files``: the trained models, the newest served, pruning and rollback.
"""
