"""Rasa's calls to the action server over connections kept alive between calls.

Rasa 3.6 opens a new aiohttp ``ClientSession``, hence a new TCP connection,
for every custom action call and closes it after the answer: both servers
set up and tear down a connection for each call. Here the action endpoint lends
Rasa's own ``EndpointConfig.request`` one session per event loop, whose
connections stay open between calls; everything else about the request
(headers, parameters, errors, compression) is Rasa's.

The domain, when sent (see ``enable_selective_domain``), is the same loaded
dictionary every call: it is encoded to JSON once per loaded domain instead
of each time, and an action that reads only part of it is sent only that part
(:class:`DomainEncoder`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

# An idle connection is dropped after this long, before the action server
# (Sanic: KEEP_ALIVE_TIMEOUT, 5 s) would close it under a request being sent.
IDLE_SECONDS = 2.0


class _LentSession:
    """A session lent for one request: ``async with`` leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


def domain_part(domain: Mapping[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    """The parts of ``domain`` named: a section (``"slots"``) or one entry of one
    (``"responses.utter_lead_consent"``); what the domain lacks is left out."""
    projected: dict[str, Any] = {}
    for part in parts:
        section, _, entry = part.partition(".")
        if section not in domain:
            continue
        if not entry:
            projected[section] = domain[section]
        elif entry in (domain[section] or {}):
            projected.setdefault(section, {})[entry] = domain[section][entry]
    return projected


class DomainEncoder:
    """JSON for action calls, the domain's part encoded once per domain dictionary.

    Rasa's ``Domain.as_dict()`` returns the loaded domain's own dictionary, which
    nothing changes while it serves; a newly loaded domain is a new dictionary.

    An action named in ``parts`` (the action endpoint's ``domain_parts`` in
    ``endpoints.yml``) is sent only the parts of the domain it reads: a form's
    validation reads its forms and slots, not the responses (most of the domain),
    which the action server would otherwise parse on every form turn.
    """

    def __init__(self, parts: Mapping[str, Sequence[str]] | None = None) -> None:
        self._parts = dict(parts or {})
        self._domain: object = None
        self._encoded: dict[str | None, str] = {}  # by action; None: the whole domain

    def __call__(self, body: Any) -> str:
        """``body`` as ``json.dumps`` encodes it (the same JSON value), its domain cut to
        the parts its action reads."""
        if not (isinstance(body, dict) and isinstance(body.get("domain"), dict)):
            return json.dumps(body)
        domain = body["domain"]
        if domain is not self._domain:
            self._encoded, self._domain = {}, domain
        action = body.get("next_action")
        cut = action if action in self._parts else None
        if cut not in self._encoded:
            sent = domain if cut is None else domain_part(domain, self._parts[cut])
            self._encoded[cut] = json.dumps(sent)
        rest = json.dumps({key: value for key, value in body.items() if key != "domain"})
        separator = ", " if rest != "{}" else ""
        return f'{rest[:-1]}{separator}"domain": {self._encoded[cut]}}}'


class KeptAliveEndpointConfig(EndpointConfig):
    """An ``EndpointConfig`` whose requests share a session (and its connections)."""

    @classmethod
    def from_endpoint(cls, endpoint: EndpointConfig) -> KeptAliveEndpointConfig:
        """The same endpoint (URL, headers, authentication, options), kept alive."""
        return cls(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            endpoint.cafile,
            **({"type": endpoint.type} if endpoint.type is not None else {}),
            **endpoint.kwargs,
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared: aiohttp.ClientSession | None = None
        self._shared_loop: asyncio.AbstractEventLoop | None = None
        self._encode = DomainEncoder(self.kwargs.get("domain_parts"))

    def session(self) -> Any:
        """The running loop's session, lent to Rasa's ``request`` without closing it."""
        shared, loop = self._shared, asyncio.get_running_loop()
        if shared is None or shared.closed or self._shared_loop is not loop:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            shared = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
                headers=self.headers,
                auth=auth,
                json_serialize=self._encode,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            )
            self._shared, self._shared_loop = shared, loop
        return _LentSession(shared)

    async def close(self) -> None:
        """Closes the shared session and its connections (when the server stops)."""
        if self._shared is not None and not self._shared.closed:
            await self._shared.close()
        self._shared = None

    def copy(self) -> KeptAliveEndpointConfig:
        """A copy with a session of its own."""
        return KeptAliveEndpointConfig.from_endpoint(self)
