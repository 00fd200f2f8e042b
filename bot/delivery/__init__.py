"""Lead delivery to sales: channels (webhook, email) fed by a worker draining the outbox.

Import the pieces from their modules (``bot.delivery.worker``,
``bot.delivery.webhook``, ...): this package imports nothing heavy by itself.
"""
