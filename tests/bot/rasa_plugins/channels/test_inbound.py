"""The chat channel's checks of what a visitor sends (bot.rasa_plugins.channels.inbound)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rasa_plugins.channels.inbound import (
    InboundError,
    apology,
    clean_text,
    decode_json,
    parse_inbound,
    polite_refusal,
)

SENDER = "3f1c2a9e-6b7d-4e0a-9c51-2d8f0b7e4a13"


def test_clean_text_drops_invisible_and_control_characters():
    assert clean_text(" what\u200b is\x00 out\u202estaffing?\ufeff ") == "what is outstaffing?"


def test_clean_text_keeps_emoji_sequences_and_right_to_left_text():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"{family} שלום, مرحبا") == f"{family} שלום, مرحبا"


def test_clean_text_drops_lone_surrogates():
    assert clean_text("a\ud800b") == "ab"


def test_clean_text_keeps_markup_as_text():
    text = "<script>alert(1)</script> '; DROP TABLE leads; --"
    assert clean_text(text) == text


@given(st.text())
def test_clean_text_is_idempotent_and_leaves_no_control_character(text: str):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert all(unicodedata.category(c) not in ("Cc", "Cs") or c in "\n\t" for c in cleaned)
    cleaned.encode("utf-8")  # storable and sendable


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (["hello"], "JSON object"),
        ("hello", "JSON object"),
        ({"message": "hello"}, "'sender'"),
        ({"sender": "", "message": "hello"}, "'sender'"),
        ({"sender": 42, "message": "hello"}, "'sender'"),
        ({"sender": "a b", "message": "hello"}, "'sender'"),
        ({"sender": "x" * 129, "message": "hello"}, "'sender'"),
        ({"sender": SENDER}, "'message'"),
        ({"sender": SENDER, "message": ["hello"]}, "'message'"),
        ({"sender": SENDER, "message": "hi", "metadata": "x"}, "'metadata'"),
    ],
)
def test_parse_inbound_refuses_what_is_not_a_chat_message(body: object, reason: str):
    with pytest.raises(InboundError) as refused:
        parse_inbound(body)
    assert refused.value.status == 400
    assert reason in refused.value.reason


def test_parse_inbound_keeps_only_the_page_url_of_the_metadata():
    body = {
        "sender": SENDER,
        "message": " hello\u200b ",
        "metadata": {"page_url": "https://agency.example/pricing", "cookie": "secret"},
        "unknown": True,
    }
    inbound = parse_inbound(body)
    assert (inbound.sender, inbound.text) == (SENDER, "hello")
    assert inbound.metadata == {"page_url": "https://agency.example/pricing"}


def test_parse_inbound_without_metadata_has_none():
    assert parse_inbound({"sender": SENDER, "message": "hi"}).metadata is None


@given(st.dictionaries(st.text(max_size=10), st.none() | st.text() | st.integers(), max_size=4))
def test_parse_inbound_either_parses_or_refuses_with_400(body: dict):
    status = 200
    try:
        parse_inbound(body)
    except InboundError as error:
        status = error.status
    assert status in (200, 400)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[" * 100_000, "nested too deeply"),
        ('{"a":' * 100_000, "nested too deeply"),
        (b'{"sender": "\xff"}', "not valid JSON"),
        (b'{"sender": ', "not valid JSON"),
        ("1" * 5000, "not valid JSON"),
    ],
    ids=["nested-arrays", "nested-objects", "invalid-utf8", "truncated", "huge-integer"],
)
def test_decode_json_refuses_with_400_what_the_parser_cannot_read(raw: bytes | str, reason: str):
    with pytest.raises(InboundError) as refused:
        decode_json(raw)
    assert refused.value.status == 400
    assert reason in refused.value.reason


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_decode_json_returns_a_value_or_refuses_with_400(raw: bytes | str):
    status = 200
    try:
        decode_json(raw)
    except InboundError as error:
        status = error.status
    assert status in (200, 400)


def test_polite_refusal_of_an_empty_message():
    assert "didn't get any text" in (polite_refusal("", 1000) or "")


def test_polite_refusal_of_a_long_message_names_the_limit():
    reply = polite_refusal("x" * 20_000, 1000) or ""
    assert "20,000 characters" in reply
    assert "1,000" in reply


def test_polite_refusal_reads_a_message_at_the_limit():
    assert polite_refusal("x" * 1000, 1000) is None


def test_apology_offers_the_agency_email():
    assert "hello@agency.example" in apology("hello@agency.example")
