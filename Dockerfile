# The whole bot in one image: the Rasa server (5005), the action server (5055),
# the web app (8000: demo site, chat widget, sales inbox) and the lead delivery
# worker, trained at build time.
# Build: docker build -t agency-bot .
# Run:   docker run -p 5005:5005 -p 8000:8000 -e SALES_API_TOKEN=... \
#            -v agency-leads:/app/var agency-bot
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    SALES_DEV_MODE=false \
    WEB_HOST=0.0.0.0

RUN apt-get update \
    && apt-get install --yes --no-install-recommends make curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home bot
WORKDIR /app
RUN chown bot:bot /app
USER bot

# Dependencies first, so code changes do not reinstall them.
COPY --chown=bot:bot requirements.lock pyproject.toml Makefile ./
COPY --chown=bot:bot scripts ./scripts
RUN mkdir bot actions && touch bot/__init__.py actions/__init__.py && make install

COPY --chown=bot:bot . .
RUN touch .venv/.installed && make train

RUN mkdir -p var
VOLUME ["/app/var"]
EXPOSE 5005 5055 8000
CMD [".venv/bin/bot", "run"]
