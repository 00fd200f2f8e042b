"""The sales inbox: an authenticated JSON API over the leads, a CSV export and a page.

``create_app`` in :mod:`bot.sales.app` builds the Sanic app; ``serve`` in
:mod:`bot.sales.server` runs it (``python -m bot.sales``). The parsing of query
parameters and bodies (:mod:`bot.sales.params`), the JSON documents
(:mod:`bot.sales.payloads`), the CSV (:mod:`bot.sales.csv_export`) and the
OpenAPI description (:mod:`bot.sales.openapi`) are plain Python, free of Sanic.
"""
