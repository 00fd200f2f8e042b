"""What Rasa loads by class path from the project's YAML files.

- ``channels/``: the chat channels (``credentials.yml``): REST and socket.io,
  with admission, rate limits and the session token;
- ``nlu/``: the project's NLU components (``config.yml``): the FAQ topic
  selector and the gates (FAQ confidence, contact details, other languages);
- ``stores/``: the tracker stores (SQL, SQLite), the lock store (Redis, atomic
  across processes), the event broker (RabbitMQ) and the tracker store's
  health check;
- ``endpoints``: ``endpoints.yml`` written from the settings, naming the above.

Unlike :mod:`bot.rasa_patches`, these use Rasa's supported extension points.
"""
