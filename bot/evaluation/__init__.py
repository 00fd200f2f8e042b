"""``bot evaluate``: how well the bot understands, measured the same way every time.

NLU is measured by stratified k-fold cross-validation over the training data
(full intents, every ``faq/<topic>`` on its own), the dialogue by Rasa's test
stories on the trained model. The reports go to ``reports/evaluation/``; the
per-intent F1 is compared with the committed baseline
(``tests/model/f1_baseline.yml``), which ``bot baseline update`` rewrites on
purpose from the latest results.

Modules, one job each: :mod:`~bot.evaluation.results` (the results and their
JSON form), :mod:`~bot.evaluation.cross_validation` and
:mod:`~bot.evaluation.stories` (running Rasa), :mod:`~bot.evaluation.metrics`
(scores from predictions), :mod:`~bot.evaluation.baseline` (load, compare,
write), :mod:`~bot.evaluation.report` (markdown), :mod:`~bot.evaluation.confusion`
(the plot) and :mod:`~bot.evaluation.run` (the whole run, timed).
"""
