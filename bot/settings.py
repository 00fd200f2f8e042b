"""Every setting the project reads from the environment, read once and checked.

The defaults run offline on a laptop: leads in a SQLite file under ``var/``,
no delivery channel, the sales inbox on localhost. ``.env.example`` and the
docs/settings.md list every variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite:///var/leads.db"
DEFAULT_TRACKER_STORE_URL = "sqlite:///var/tracker.db"
DEFAULT_LEAD_SPOOL_PATH = Path("var/lead-spool.jsonl")
DEFAULT_EVENT_BROKER_QUEUE = "rasa_events"
DEFAULT_SITE_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")


# A chat session secret shorter than this is refused (32 characters: 192 bits of base64).
MIN_CHAT_SESSION_SECRET_CHARS = 32


class SettingsError(ValueError):
    """A setting in the environment has a value the project cannot use."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where lead emails go and how to reach the mail server."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str = "bot@localhost"
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebhookSettings:
    """The URL that receives each lead as a signed JSON POST."""

    url: str
    secret: str


@dataclass(frozen=True)
class DeliverySettings:
    """How the delivery worker retries: exponential backoff, capped."""

    max_attempts: int = 12
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 3600.0
    poll_interval_seconds: float = 1.0
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class InputLimits:
    """What the public chat channel accepts from a visitor."""

    # Longer messages get a polite request to shorten them (the widget's own cap).
    max_message_chars: int = 1000
    # Larger request bodies are refused with 413 before they are read.
    max_request_bytes: int = 64 * 1024
    # Messages a minute per conversation and per client IP address (0: no limit);
    # more get 429 and a friendly reply. Each Rasa process counts its own.
    rate_limit_per_sender: int = 30
    rate_limit_per_ip: int = 120
    # Proxies in front of the Rasa server whose X-Forwarded-For is believed.
    trusted_proxies: int = 0
    # Turns one Rasa process runs at once; later messages queue
    # (bot.rasa_plugins.channels.admission) and get "busy, try again" after max_turn_wait_seconds.
    max_concurrent_turns: int = 8
    max_turn_wait_seconds: float = 30.0


@dataclass(frozen=True)
class Settings:
    """The project's settings; build them with :func:`load_settings`."""

    database_url: str = DEFAULT_DATABASE_URL
    # Where confirmed leads wait (fsynced) while the lead store's database is away.
    lead_spool_path: Path = DEFAULT_LEAD_SPOOL_PATH
    # How often the action server hands waiting leads to the database again.
    lead_spool_retry_seconds: float = 15.0
    # Leads unchanged and conversations idle this long are deleted by `bot leads purge`.
    retention_days: int = 365
    # Where Rasa keeps conversations: SQLite, PostgreSQL, or "memory".
    tracker_store_url: str = DEFAULT_TRACKER_STORE_URL
    # Rasa's conversation locks in Redis (redis://host:port/db); None: in the Rasa process.
    lock_store_url: str | None = None
    # Rasa server processes sharing its port (SO_REUSEPORT); more than one needs lock_store_url.
    rasa_workers: int = 1
    # RabbitMQ (amqp://user:password@host:5672/vhost) that receives every conversation event.
    event_broker_url: str | None = None
    event_broker_queue: str = DEFAULT_EVENT_BROKER_QUEUE
    sales_api_token: str | None = None
    sales_dev_mode: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # The sites that embed the chat widget: allowed by CORS on Rasa and the web app.
    site_origins: tuple[str, ...] = DEFAULT_SITE_ORIGINS
    # The Rasa server as the visitor's browser reaches it (the widget's serverUrl).
    chat_server_url: str = "http://localhost:5005"
    # Signs the chat channels' session tokens; every Rasa process must share it.
    # None: each Rasa process makes one up at start (sessions end with the process).
    chat_session_secret: str | None = None
    rasa_port: int = 5005
    actions_port: int = 5055
    # Where the action server listens: this machine only unless told (a container: 0.0.0.0).
    actions_host: str = "127.0.0.1"
    # The bearer token Rasa sends the action server and the action server wants.
    action_server_token: str | None = None
    # How long Rasa waits for one action call before the visitor gets an apology.
    action_timeout_seconds: float = 4.0
    # Where the Rasa server calls the action server; None: this machine's actions_port.
    action_server_url: str | None = None
    log_dir: Path = Path("build/logs")
    agency_email: str = "hello@agency.example"
    default_phone_region: str | None = None
    webhook: WebhookSettings | None = None
    smtp: SmtpSettings | None = None
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    input_limits: InputLimits = field(default_factory=InputLimits)

    @property
    def channel_names(self) -> tuple[str, ...]:
        """The delivery channels that are configured, in delivery order."""
        names = []
        if self.webhook is not None:
            names.append("webhook")
        if self.smtp is not None:
            names.append("email")
        return tuple(names)


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (_text(env, name) or "false").lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {value!r}")


def _number(env: Mapping[str, str], name: str, default: float, minimum: float = 0) -> float:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = _number(env, name, default, minimum=1)
    if value != int(value) or value > 65535:
        raise SettingsError(f"{name} must be a TCP port (1-65535), got {env.get(name)!r}")
    return int(value)


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = _text(env, name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme.split("+")[0] not in schemes or not (parts.netloc or parts.path):
        raise SettingsError(f"{name} must be a {' or '.join(schemes)} URL, got {value!r}")
    return value


def _tracker_store_url(env: Mapping[str, str]) -> str:
    if _text(env, "TRACKER_STORE_URL") == "memory":
        return "memory"
    return _url(env, "TRACKER_STORE_URL", ("sqlite", "postgresql")) or DEFAULT_TRACKER_STORE_URL


def _rasa_workers(env: Mapping[str, str], lock_store_url: str | None, tracker: str) -> int:
    workers = _number(env, "RASA_WORKERS", 1, minimum=1)
    if workers != int(workers):
        raise SettingsError(f"RASA_WORKERS must be a whole number, got {env.get('RASA_WORKERS')!r}")
    if workers > 1 and lock_store_url is None:
        raise SettingsError(
            "RASA_WORKERS above 1 needs LOCK_STORE_URL (redis://...): the workers must share"
            " each conversation's lock, or two of them could answer one visitor at once"
        )
    if workers > 1 and tracker == "memory":
        raise SettingsError("RASA_WORKERS above 1 needs a database TRACKER_STORE_URL, not memory")
    return int(workers)


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    origins = []
    for origin in (_text(env, name) or "").split(","):
        origin = origin.strip().rstrip("/")
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
            raise SettingsError(
                f"{name} must list origins like https://www.agency.example, got {origin!r}"
            )
        origins.append(origin)
    return tuple(origins)


def _chat_session_secret(env: Mapping[str, str]) -> str | None:
    secret = _text(env, "CHAT_SESSION_SECRET")
    if secret is not None and len(secret) < MIN_CHAT_SESSION_SECRET_CHARS:
        raise SettingsError(
            f"CHAT_SESSION_SECRET must be at least {MIN_CHAT_SESSION_SECRET_CHARS} characters,"
            f" got {len(secret)}; make one with"
            " python -c 'import secrets; print(secrets.token_urlsafe())'"
        )
    return secret


def _webhook(env: Mapping[str, str]) -> WebhookSettings | None:
    url = _url(env, "SALES_WEBHOOK_URL", ("http", "https"))
    if url is None:
        return None
    secret = _text(env, "SALES_WEBHOOK_SECRET")
    if secret is None:
        raise SettingsError("SALES_WEBHOOK_URL is set: SALES_WEBHOOK_SECRET must be set too")
    return WebhookSettings(url=url, secret=secret)


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    host = _text(env, "SMTP_HOST")
    if host is None:
        return None
    recipients = tuple(
        address.strip() for address in (_text(env, "SALES_EMAIL_TO") or "").split(",") if address
    )
    if not recipients:
        raise SettingsError("SMTP_HOST is set: SALES_EMAIL_TO must name at least one address")
    return SmtpSettings(
        host=host,
        port=_port(env, "SMTP_PORT", 587),
        username=_text(env, "SMTP_USERNAME"),
        password=_text(env, "SMTP_PASSWORD"),
        starttls=_flag(env, "SMTP_STARTTLS") if "SMTP_STARTTLS" in env else True,
        sender=_text(env, "SALES_EMAIL_FROM") or "bot@localhost",
        recipients=recipients,
    )


def _delivery(env: Mapping[str, str]) -> DeliverySettings:
    defaults = DeliverySettings()
    return DeliverySettings(
        max_attempts=int(_number(env, "DELIVERY_MAX_ATTEMPTS", defaults.max_attempts, 1)),
        backoff_base_seconds=_number(
            env, "DELIVERY_BACKOFF_BASE_SECONDS", defaults.backoff_base_seconds
        ),
        backoff_max_seconds=_number(
            env, "DELIVERY_BACKOFF_MAX_SECONDS", defaults.backoff_max_seconds
        ),
        poll_interval_seconds=_number(
            env, "DELIVERY_POLL_INTERVAL_SECONDS", defaults.poll_interval_seconds, 0.01
        ),
        timeout_seconds=_number(env, "DELIVERY_TIMEOUT_SECONDS", defaults.timeout_seconds, 0.1),
    )


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _actions_host(env: Mapping[str, str]) -> str:
    host = _text(env, "ACTIONS_HOST") or "127.0.0.1"
    if host not in LOOPBACK_HOSTS and _text(env, "ACTION_SERVER_TOKEN") is None:
        raise SettingsError(
            f"ACTIONS_HOST={host} opens the action server beyond this machine:"
            " set ACTION_SERVER_TOKEN too (its webhook hands out conversations)"
        )
    return host


def _input_limits(env: Mapping[str, str]) -> InputLimits:
    defaults = InputLimits()
    return InputLimits(
        max_message_chars=int(_number(env, "MAX_MESSAGE_CHARS", defaults.max_message_chars, 1)),
        max_request_bytes=int(_number(env, "MAX_REQUEST_BYTES", defaults.max_request_bytes, 1024)),
        rate_limit_per_sender=int(
            _number(env, "RATE_LIMIT_PER_SENDER", defaults.rate_limit_per_sender)
        ),
        rate_limit_per_ip=int(_number(env, "RATE_LIMIT_PER_IP", defaults.rate_limit_per_ip)),
        trusted_proxies=int(_number(env, "TRUSTED_PROXIES", defaults.trusted_proxies)),
        max_concurrent_turns=int(
            _number(env, "MAX_CONCURRENT_TURNS", defaults.max_concurrent_turns, 1)
        ),
        max_turn_wait_seconds=_number(
            env, "MAX_TURN_WAIT_SECONDS", defaults.max_turn_wait_seconds, 0.1
        ),
    )


def local_site_origins(web_port: int) -> tuple[str, ...]:
    """The origins of the demo site the web app serves on this machine."""
    return (f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Reads the settings from ``env`` (the process environment by default).

    Raises:
        SettingsError: naming the variable whose value is unusable.
    """
    env = os.environ if env is None else env
    region = _text(env, "DEFAULT_PHONE_REGION")
    if region is not None and not (len(region) == 2 and region.isalpha()):
        raise SettingsError(f"DEFAULT_PHONE_REGION must be a two-letter code, got {region!r}")
    tracker_store_url = _tracker_store_url(env)
    lock_store_url = _url(env, "LOCK_STORE_URL", ("redis", "rediss"))
    web_port, rasa_port = _port(env, "WEB_PORT", 8000), _port(env, "RASA_PORT", 5005)
    return Settings(
        database_url=_url(env, "DATABASE_URL", ("sqlite", "postgresql")) or DEFAULT_DATABASE_URL,
        lead_spool_path=Path(_text(env, "LEAD_SPOOL_PATH") or DEFAULT_LEAD_SPOOL_PATH),
        lead_spool_retry_seconds=_number(env, "LEAD_SPOOL_RETRY_SECONDS", 15.0, 0.1),
        retention_days=int(_number(env, "RETENTION_DAYS", 365, 1)),
        tracker_store_url=tracker_store_url,
        lock_store_url=lock_store_url,
        rasa_workers=_rasa_workers(env, lock_store_url, tracker_store_url),
        event_broker_url=_url(env, "EVENT_BROKER_URL", ("amqp", "amqps")),
        event_broker_queue=_text(env, "EVENT_BROKER_QUEUE") or DEFAULT_EVENT_BROKER_QUEUE,
        sales_api_token=_text(env, "SALES_API_TOKEN"),
        sales_dev_mode=_flag(env, "SALES_DEV_MODE"),
        web_host=_text(env, "WEB_HOST") or "127.0.0.1",
        web_port=web_port,
        # Unset, the demo site of this machine: the web app's own port, and Rasa's.
        site_origins=_origins(env, "SITE_ORIGINS") or local_site_origins(web_port),
        chat_server_url=(
            _url(env, "CHAT_SERVER_URL", ("http", "https")) or f"http://localhost:{rasa_port}"
        ),
        chat_session_secret=_chat_session_secret(env),
        rasa_port=rasa_port,
        actions_port=_port(env, "ACTIONS_PORT", 5055),
        actions_host=_actions_host(env),
        action_server_token=_text(env, "ACTION_SERVER_TOKEN"),
        action_timeout_seconds=_number(env, "ACTION_TIMEOUT_SECONDS", 4.0, 0.1),
        action_server_url=_url(env, "ACTION_SERVER_URL", ("http", "https")),
        log_dir=Path(_text(env, "LOG_DIR") or "build/logs"),
        agency_email=_text(env, "AGENCY_EMAIL") or "hello@agency.example",
        default_phone_region=region.upper() if region else None,
        webhook=_webhook(env),
        smtp=_smtp(env),
        delivery=_delivery(env),
        input_limits=_input_limits(env),
    )


def sqlite_path(database_url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (to create its folder), else None."""
    parts = urlsplit(database_url)
    if parts.scheme != "sqlite" or parts.path in ("", "/", "/:memory:"):
        return None
    return Path(parts.path[1:])
