"""The project's web app: the demo site with the chat widget, and the sales inbox.

``create_app`` in :mod:`bot.web.app` lists what it is made of; ``serve`` in
:mod:`bot.web.server` runs it (``python -m bot.web``, ``bot web-server``).
"""
