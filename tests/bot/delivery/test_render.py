"""Lead payloads rendered for email: subject, plain text and escaped HTML."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.delivery import render


def lead_payload(**overrides: Any) -> dict[str, Any]:
    """A payload shaped like ``lead_to_dict``'s, with overrides."""
    payload: dict[str, Any] = {
        "id": 7,
        "status": "new",
        "notes": "",
        "version": 1,
        "created_at": "2024-05-02T10:00:00+00:00",
        "updated_at": "2024-05-02T10:00:00+00:00",
        "conversation_id": "conv-1",
        "kind": "team",
        "possible_duplicate_of": 3,
        "roles": ["Python developer"],
        "team_size": 3,
        "seniority": ["senior"],
        "tech_stack": ["Python"],
        "engagement_model": "outstaffing",
        "start_text": "next month",
        "start_date": "2024-06-01",
        "duration": "6 months",
        "budget": None,
        "name": "Ada Lovelace",
        "email": "ada@acme.example",
        "company": "Acme Ltd",
        "phone": None,
        "consent": {"text": "You may contact me", "given_at": "2024-05-02T09:59:00+00:00"},
        "page_url": "https://agency.example/hire",
        "transcript": [
            {"speaker": "visitor", "text": "I need devs", "at": "2024-05-02T09:58:00+00:00"},
            {"speaker": "bot", "text": "How many?", "at": "2024-05-02T09:58:01+00:00"},
        ],
    }
    payload.update(overrides)
    return payload


def test_subject_names_team_and_company() -> None:
    assert (
        render.subject("lead.created", lead_payload())
        == "New lead: 3 \N{MULTIPLICATION SIGN} senior Python developer — Acme Ltd"
    )


def test_subject_names_the_stack_when_no_role_is_given() -> None:
    subject = render.subject("lead.created", lead_payload(roles=[], tech_stack=["Go", "Rust"]))

    assert subject == "New lead: 3 \N{MULTIPLICATION SIGN} senior Go/Rust — Acme Ltd"


def test_plain_text_spells_out_the_engagement_model() -> None:
    text = render.plain_text("lead.created", lead_payload(engagement_model="not_sure"))

    assert "Not sure yet (sales to recommend)" in text


def test_subject_of_an_update_says_so_with_the_version() -> None:
    subject = render.subject("lead.updated", lead_payload(version=2))

    assert subject.startswith("Updated lead (v2): 3 \N{MULTIPLICATION SIGN} senior")


def test_subject_flattens_line_breaks_from_the_visitor() -> None:
    subject = render.subject("lead.created", lead_payload(company="Acme\r\nBcc: x@evil.example"))

    assert "\n" not in subject
    assert "\r" not in subject


def test_subject_is_cut_to_a_readable_length() -> None:
    subject = render.subject("lead.created", lead_payload(company="A" * 500))

    assert len(subject) == render.SUBJECT_LENGTH
    assert subject.endswith("…")


def test_plain_text_lists_every_field_and_the_transcript() -> None:
    text = render.plain_text("lead.created", lead_payload())

    for label in render.FIELD_LABELS.values():
        assert re.search(rf"^{label}: ", text, re.MULTILINE), label
    assert "[2024-05-02T09:58:00+00:00] visitor: I need devs" in text
    assert "You may contact me (given 2024-05-02T09:59:00+00:00)" in text


def test_plain_text_keeps_a_field_it_does_not_know() -> None:
    text = render.plain_text("lead.created", lead_payload(utm_source="newsletter"))

    assert re.search(r"^Utm source: +newsletter$", text, re.MULTILINE)


@pytest.mark.parametrize(
    "field", ["name", "company", "notes", "start_text", "budget", "duration", "page_url"]
)
def test_html_escapes_visitor_text(field: str) -> None:
    body = render.html_body("lead.created", lead_payload(**{field: '<script>"x"</script>'}))

    assert "<script>" not in body
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in body


def test_html_escapes_the_transcript_and_list_values() -> None:
    payload = lead_payload(
        roles=["<b>dev</b>"],
        transcript=[{"speaker": "visitor", "text": "<img src=x onerror=alert(1)>", "at": "t"}],
    )

    body = render.html_body("lead.created", payload)

    assert "<img" not in body
    assert "<b>" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_empty_values_show_a_dash() -> None:
    assert render.format_value(None) == render.MISSING
    assert render.format_value([]) == render.MISSING


def test_a_call_back_is_named_as_such_with_its_number() -> None:
    payload = lead_payload(kind="callback", roles=[], team_size=None, seniority=[], tech_stack=[])
    payload.update(phone="+44 20 7946 0958", company=None)
    subject = render.subject("lead.created", payload)
    assert subject.startswith("New call back request: call +44 20 7946 0958")
    assert re.search(r"^Request: +Call back$", render.plain_text("lead.created", payload), re.M)
