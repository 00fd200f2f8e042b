# One image for every service of the bot, chosen by its command (bot serve ...):
#   rasa      the Rasa server (5005): REST and socket.io channels
#   actions   the action server (5055): lead form, knowledge answers, lead store
#   web       the web app (8000): demo site with the chat widget, sales inbox
#   delivery  the worker that sends stored leads to sales (webhook, email)
# `run` starts all four in one container, as `make run` does on a laptop.
# docker-compose.yml and deploy/kubernetes/ run them as separate containers.
#
# Build: docker build -t agency-bot .
# The model is trained at build time with the same make targets CI runs
# (make install, make train), then the test tools are removed (make prune-dev).

ARG PYTHON_IMAGE=python:3.10.13-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false

RUN apt-get update \
    && apt-get install --yes --no-install-recommends make=4.3-4.1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.lock pyproject.toml Makefile ./
COPY scripts ./scripts
RUN mkdir bot actions \
    && touch bot/__init__.py actions/__init__.py \
    && make install

COPY . .
RUN touch .venv/.installed \
    && make train \
    && make prune-dev \
    && mkdir -p var


FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/app/.venv/bin:$PATH \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    SALES_DEV_MODE=false \
    WEB_HOST=0.0.0.0 \
    LOG_DIR=/app/var/log \
    HOME=/tmp

RUN groupadd --gid 10001 bot \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app bot

WORKDIR /app
COPY --from=build --chown=root:root /app/.venv ./.venv
COPY --from=build --chown=root:root /app/bot ./bot
COPY --from=build --chown=root:root /app/actions ./actions
COPY --from=build --chown=root:root /app/data ./data
COPY --from=build --chown=root:root /app/models ./models
COPY --from=build --chown=root:root /app/build/spacy ./build/spacy
COPY --from=build --chown=root:root \
    /app/config.yml /app/domain.yml /app/credentials.yml /app/endpoints.yml /app/pyproject.toml ./
# The only place the bot writes: SQLite files and logs (a volume in production).
COPY --from=build --chown=10001:10001 /app/var ./var

USER 10001:10001
VOLUME ["/app/var"]
EXPOSE 5005 5055 8000
# Unhealthy after 3 checks in a row without an answer below 500. Docker restarts
# only a container whose process ended, so once the service has answered, 3
# checks in a row with no answer at all (a hang) kill it: run the container with
# an init (compose `init: true`, `docker run --init`) so that it is not PID 1,
# and with a restart policy. Kubernetes ignores this and probes the pods itself.
HEALTHCHECK --interval=20s --timeout=5s --start-period=180s --retries=3 \
    CMD ["bot", "healthcheck", "--stop-after", "3"]
ENTRYPOINT ["bot"]
CMD ["serve", "rasa"]
