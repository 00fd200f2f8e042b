"""Answering a visitor's question: the FAQ topics (``faq/``) and the search of the
agency's articles (``knowledge/``)."""
