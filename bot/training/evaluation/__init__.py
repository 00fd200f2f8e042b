"""``bot evaluate``: how well the bot understands, measured the same way every time.

NLU is measured by stratified k-fold cross-validation over the training data
(full intents, every ``faq/<topic>`` on its own), the dialogue by Rasa's test
stories on the trained model. The reports go to ``reports/evaluation/``; the
per-intent F1 is compared with the committed baseline
(``tests/model/f1_baseline.yml``), which ``bot baseline update`` rewrites on
purpose from the latest results.

Modules, one job each: :mod:`~bot.training.evaluation.results` (the results and their
JSON form), :mod:`~bot.training.evaluation.cross_validation` and
:mod:`~bot.training.evaluation.stories` (running Rasa), :mod:`~bot.training.evaluation.metrics`
(scores from predictions), :mod:`~bot.training.evaluation.baseline` (load, compare,
write), :mod:`~bot.training.evaluation.report` (markdown), :mod:`~bot.training.evaluation.confusion`
(the plot) and :mod:`~bot.training.evaluation.run` (the whole run, timed).
"""
