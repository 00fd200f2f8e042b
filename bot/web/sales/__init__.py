"""The sales inbox: an authenticated JSON API over the leads, a CSV export and a page.

Its blueprints are served by the project's web app (:mod:`bot.web.app`). The parsing of query
parameters and bodies (:mod:`bot.web.sales.params`), the JSON documents
(:mod:`bot.web.sales.payloads`), the CSV (:mod:`bot.web.sales.csv_export`) and the
OpenAPI description (:mod:`bot.web.sales.openapi`) are plain Python, free of Sanic.
"""
