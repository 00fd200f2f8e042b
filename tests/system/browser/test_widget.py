"""The chat widget in a real browser against the real product.

Each test is a visitor in a fresh browser context (own localStorage) on the
demo site, talking through the widget to the real Rasa server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.system.browser.conftest import SALES_TOKEN, SESSION_SECRET, Stack, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.model]
ANSWER_TIMEOUT_MS = 20_000
SESSION_ID = re.compile(r"[0-9a-f]{32}")


def open_chat(page: Any) -> None:
    page.locator(".launcher").click()
    page.locator(".panel").wait_for(state="visible")


def send(page: Any, text: str) -> None:
    page.locator(".composer input").fill(text)
    page.locator(".composer input").press("Enter")


def bot_messages(page: Any) -> Any:
    return page.locator(".message.bot")


def wait_for_bot(page: Any, count: int) -> None:
    expect(bot_messages(page)).to_have_count(count, timeout=ANSWER_TIMEOUT_MS)


def test_launcher_shows_an_unread_badge_then_the_greeting_and_starters(page):
    expect(page.locator(".badge")).to_have_text("1")
    screenshot(page, "launcher-closed")
    open_chat(page)
    expect(page.locator(".badge")).to_be_hidden()
    expect(bot_messages(page).first).to_contain_text("outsourcing, outstaffing and offshoring")
    expect(page.locator(".choice")).to_have_count(3)
    expect(page.locator(".composer input")).to_be_focused()


def test_an_faq_gets_its_answer_and_a_quick_reply_works(page):
    open_chat(page)
    send(page, "who is the legal employer of an outstaffed developer?")
    wait_for_bot(page, 2)
    expect(bot_messages(page).nth(1)).to_contain_text("legal employer")
    screenshot(page, "faq-answer")
    page.locator(".message.bot").nth(1).locator(".choice").first.click()
    wait_for_bot(page, 3)
    expect(bot_messages(page).nth(2)).to_contain_text("service contract")


def test_a_message_typed_while_the_answer_is_pending_is_shown_and_sent_after_it(page):
    open_chat(page)
    send(page, "what is outstaffing?")
    send(page, "and the risks?")  # typed before the first answer arrives
    expect(page.locator(".message.visitor")).to_have_count(2)
    wait_for_bot(page, 3)
    texts = page.locator(".message").all_inner_texts()
    assert texts.index("and the risks?") > texts.index("what is outstaffing?")
    assert "outstaffing" in bot_messages(page).nth(1).inner_text().lower()  # the first answer
    expect(bot_messages(page).nth(2)).to_contain_text("labour law")  # the risks of outstaffing


def requests_to(page: Any, path: str) -> list[Any]:
    """The requests the page makes to ``path`` from now on."""
    seen: list[Any] = []
    page.on("request", lambda request: seen.append(request) if path in request.url else None)
    return seen


def test_the_widget_gets_a_session_and_sends_its_token(page):
    sessions = requests_to(page, "/webhooks/rest/session")
    messages = requests_to(page, "/webhooks/rest/webhook")
    open_chat(page)
    assert page.evaluate("window.AgencyChat.sessionId()") is None  # none until a message
    send(page, "what is offshoring")
    wait_for_bot(page, 2)
    session = page.evaluate("window.AgencyChat.sessionId()")
    assert SESSION_ID.fullmatch(session)
    assert len(sessions) == 1
    [message] = [request for request in messages if request.method == "POST"]
    assert message.all_headers()["authorization"].startswith("Bearer ")
    assert message.post_data_json["sender"] == session


def test_the_conversation_survives_a_reload_and_navigation(page, product: Stack):
    open_chat(page)
    page.locator(".choice", has_text="What is outstaffing?").click()
    wait_for_bot(page, 2)
    session = page.evaluate("window.AgencyChat.sessionId()")
    assert SESSION_ID.fullmatch(session)
    page.reload()
    expect(page.locator(".panel")).to_be_visible()  # it stays open as the visitor left it
    expect(bot_messages(page)).to_have_count(2)
    page.goto(product.site_url + "/how-we-work")
    expect(bot_messages(page).nth(1)).to_contain_text("outstaffing")
    sessions = requests_to(page, "/webhooks/rest/session")
    send(page, "what is offshoring")  # the same session goes on, its token kept
    wait_for_bot(page, 3)
    expect(page.locator(".status")).to_be_hidden()
    assert page.evaluate("window.AgencyChat.sessionId()") == session
    assert sessions == []


def test_start_over_resets_the_conversation(page):
    open_chat(page)
    send(page, "what is offshoring")
    wait_for_bot(page, 2)
    session = page.evaluate("window.AgencyChat.sessionId()")
    page.locator(".restart").click()
    expect(bot_messages(page)).to_have_count(1)
    expect(page.locator(".message.visitor")).to_have_count(0)
    assert page.evaluate("window.AgencyChat.sessionId()") != session


def test_html_in_a_message_is_shown_as_text_and_runs_nothing(page, page_errors):
    attack = "<img src=x onerror=alert(1)>"
    open_chat(page)
    send(page, attack)
    wait_for_bot(page, 2)
    expect(page.locator(".message.visitor")).to_have_text(attack)
    assert page.locator(".log img").count() == 0
    assert page_errors == []


def test_bot_markdown_renders_a_safe_subset_and_never_html(page):
    rendered = page.evaluate(
        r"""() => {
            const box = document.createElement("div");
            box.append(AgencyChat.renderMarkdown(
                "**bold** and *it* \\*not\\*\n- one\n- two\n" +
                "[site](https://agency.example) [bad](javascript:alert(1)) <b>raw</b>"));
            return {
                html: box.innerHTML,
                links: [...box.querySelectorAll("a")].map(a => [a.href, a.target, a.rel]),
            };
        }"""
    )
    assert "<strong>bold</strong>" in rendered["html"]
    assert "<em>it</em>" in rendered["html"]
    assert "*not*" in rendered["html"]
    assert "<ul><li>one</li><li>two</li></ul>" in rendered["html"]
    assert rendered["links"] == [["https://agency.example/", "_blank", "noopener noreferrer"]]
    assert "[bad](javascript:alert(1))" in rendered["html"]
    assert "&lt;b&gt;raw&lt;/b&gt;" in rendered["html"]


def test_keyboard_escape_closes_and_focus_returns_to_the_launcher(page):
    launcher = page.locator(".launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".panel")).to_have_attribute("role", "dialog")
    expect(page.locator(".log")).to_have_attribute("role", "log")
    page.keyboard.press("Escape")
    expect(page.locator(".panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_a_phone_screen_gets_the_whole_screen(browser, product: Stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(product.site_url + "/")
    open_chat(page)
    box = page.locator(".panel").bounding_box()
    assert box["width"] == 360
    assert box["height"] == 740
    expect(page.locator(".composer input")).to_be_visible()
    screenshot(page, "phone")
    context.close()


def test_the_server_going_away_is_shown_and_the_chat_recovers(page, product: Stack):
    open_chat(page)
    product.stop("rasa")
    try:
        send(page, "what is outsourcing")
        expect(page.locator(".status")).to_contain_text("Can't reach the assistant", timeout=10_000)
    finally:
        product.start("rasa")
    expect(page.locator(".status")).to_be_hidden(timeout=30_000)
    expect(bot_messages(page).nth(1)).to_contain_text("Outsourcing", timeout=30_000)


def test_a_session_the_server_no_longer_knows_is_renewed_and_the_message_answered(
    page, product: Stack
):
    open_chat(page)
    send(page, "what is offshoring")
    wait_for_bot(page, 2)
    session = page.evaluate("window.AgencyChat.sessionId()")
    refused = []
    page.on("response", lambda answer: refused.append(answer) if answer.status == 401 else None)
    product.stop("rasa")  # back with a new secret: every session ends
    product.start("rasa", CHAT_SESSION_SECRET=SESSION_SECRET[::-1] + "-rotated")
    send(page, "what is outsourcing")
    expect(bot_messages(page).nth(2)).to_contain_text("Outsourcing", timeout=30_000)
    assert len(refused) == 1  # the old token, once; then a new session
    renewed = page.evaluate("window.AgencyChat.sessionId()")
    assert SESSION_ID.fullmatch(renewed)
    assert renewed != session
    expect(page.locator(".status")).to_be_hidden()
    expect(page.locator(".message.visitor .note")).to_have_count(0)  # nothing left unsent


def test_a_conversation_kept_by_an_older_widget_gets_a_session(page):
    page.evaluate(
        """() => {
            localStorage.setItem(`agency-chat:${AgencyChat.config.serverUrl}`, JSON.stringify({
                sessionId: "3f1c2a9e-6b7d-4e0a-9c51-2d8f0b7e4a13",
                messages: [{from: "bot", text: "Hi from before"}],
                open: true, unread: 0, pending: null,
            }));
        }"""
    )
    page.reload()
    expect(bot_messages(page).first).to_contain_text("Hi from before")
    send(page, "what is offshoring")
    wait_for_bot(page, 2)
    assert SESSION_ID.fullmatch(page.evaluate("window.AgencyChat.sessionId()"))


def test_a_lead_completed_in_the_widget_reaches_the_sales_inbox(page, product: Stack):
    open_chat(page)
    send(page, "we need 3 senior Python developers for 6 months starting ASAP")
    expect(bot_messages(page).last).to_contain_text(
        "Who should our sales team reply to", timeout=20_000
    )
    send(page, "Browser Tester, Acme Ltd, tester@acme.example")
    expect(bot_messages(page).last).to_contain_text(
        "May our sales team contact you", timeout=20_000
    )
    expect(page.locator(".composer input")).to_be_enabled()  # details may be typed
    screenshot(page, "lead-summary")
    page.locator(".choice:not([disabled])", has_text="Yes, send it").click()
    expect(bot_messages(page).last).to_contain_text("within one business day", timeout=20_000)
    expect(page.locator(".composer input")).to_be_enabled()

    inbox = page.context.new_page()
    inbox.goto(product.site_url + "/sales")
    inbox.locator("#token").fill(SALES_TOKEN)
    inbox.locator("#token-form button[type=submit]").click()
    expect(inbox.locator("#lead-rows")).to_contain_text("Browser Tester", timeout=10_000)
    inbox.locator("#lead-rows tr", has_text="Browser Tester").first.click()
    expect(inbox.locator("#lead-fields")).to_contain_text(product.site_url)  # the page it came from
