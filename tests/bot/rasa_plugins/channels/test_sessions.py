"""Chat sessions (bot.rasa_plugins.channels.sessions): a token opens its own conversation under
its own secret, and nothing else; junk is refused, never an error."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rasa_plugins.channels.inbound import SENDER_ID
from bot.rasa_plugins.channels.session_secret import signer_for
from bot.rasa_plugins.channels.sessions import SessionSigner, bearer_token, made_up_secret
from bot.settings import load_settings

SECRET = "s" * 32
OTHER_SECRET = "t" * 32
secrets_ = st.text(min_size=1, max_size=64)
senders = st.text(max_size=200)
junk = st.none() | st.integers() | st.floats() | st.binary() | st.text() | st.lists(st.text())


def test_a_new_session_has_a_random_id_the_channels_accept():
    signer = SessionSigner(SECRET)
    first, second = signer.new_session(), signer.new_session()
    assert first.sender != second.sender
    assert SENDER_ID.fullmatch(first.sender)
    assert signer.verifies(first.sender, first.token)
    assert first.as_json() == {"sender": first.sender, "token": first.token}


@given(secret=secrets_, sender=senders)
def test_a_token_verifies_for_its_own_sender_and_secret(secret: str, sender: str):
    signer = SessionSigner(secret)
    assert signer.verifies(sender, signer.token_for(sender))


@given(secret=secrets_, sender=senders, other=senders)
def test_a_token_does_not_verify_for_another_sender(secret: str, sender: str, other: str):
    signer = SessionSigner(secret)
    assert signer.verifies(other, signer.token_for(sender)) == (other == sender)


@given(secret=secrets_, other_secret=secrets_, sender=senders)
def test_a_token_does_not_verify_under_another_secret(secret: str, other_secret: str, sender: str):
    token = SessionSigner(secret).token_for(sender)
    assert SessionSigner(other_secret).verifies(sender, token) == (secret == other_secret)


@given(sender=junk, token=junk)
def test_verifying_junk_is_false_and_never_raises(sender: object, token: object):
    signer = SessionSigner(SECRET)
    expected = isinstance(sender, str) and token == signer.token_for(sender)
    assert signer.verifies(sender, token) is expected


@given(sender=senders, tampered=st.text(min_size=1, max_size=80))
def test_a_changed_token_does_not_verify(sender: str, tampered: str):
    signer = SessionSigner(SECRET)
    token = signer.token_for(sender)
    if tampered != token:
        assert not signer.verifies(sender, tampered)


def test_a_token_is_short_url_safe_ascii():
    token = SessionSigner(SECRET).token_for("visitor")
    assert len(token) == 43
    assert token.isascii()
    assert not set(token) & set("=+/")


@given(sender=senders)
def test_a_fingerprint_is_stable_short_and_reveals_neither_id_nor_token(sender: str):
    signer = SessionSigner(SECRET)
    fingerprint = signer.fingerprint(sender)
    assert fingerprint == signer.fingerprint(sender)
    assert len(fingerprint) == 10
    assert fingerprint not in signer.token_for(sender)
    assert fingerprint != SessionSigner(OTHER_SECRET).fingerprint(sender)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("BEARER abc", "abc"),
        ("Bearer ", None),
        ("Basic abc", None),
        ("abc", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_bearer_token_reads_only_a_bearer_header(header: object, token: str | None):
    assert bearer_token(header) == token


@given(junk)
def test_bearer_token_never_raises(header: object):
    bearer_token(header)


def test_a_made_up_secret_is_new_each_time_and_long_enough():
    first, second = made_up_secret(), made_up_secret()
    assert first != second
    assert len(first) >= 32


def test_the_settings_secret_signs_the_same_tokens_in_every_process():
    settings = load_settings({"CHAT_SESSION_SECRET": SECRET})
    session = signer_for(settings).new_session()
    assert signer_for(settings).verifies(session.sender, session.token)


def test_without_a_secret_a_process_makes_one_up_and_warns_without_it(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.rasa_plugins.channels.session_secret"):
        first, second = signer_for(load_settings({})), signer_for(load_settings({}))
    session = first.new_session()
    assert not second.verifies(session.sender, session.token)
    [warning, _] = caplog.records
    assert "CHAT_SESSION_SECRET is not set" in warning.getMessage()
    assert "replica" in warning.getMessage()
