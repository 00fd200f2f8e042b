"""``bot review``: turn what real visitors typed into training data.

``selection`` picks the messages worth a look from the tracker store,
``grouping`` folds near-duplicates together, ``review_file`` writes and reads
the YAML a maintainer edits, ``nlu_merge`` adds the accepted examples to the
NLU data, and ``stories`` exports chosen conversations as test stories.
"""
