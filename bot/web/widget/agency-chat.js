/*
 * The agency's chat widget: one <script> tag, no build step, no third party.
 *
 *   <script>window.AgencyChatConfig = {serverUrl: "https://chat.agency.example"};</script>
 *   <script src="https://www.agency.example/widget/agency-chat.js" defer></script>
 *
 * It talks to the bot's REST channel: before the first message it asks for a
 * session (POST /webhooks/rest/session: a conversation id and its token), then
 * sends each message (POST /webhooks/rest/webhook) with the token in an
 * Authorization: Bearer header. It keeps the session and the conversation in
 * localStorage so both survive reloads and navigation; when the server no
 * longer knows the token (401: its secret changed), it starts a new session
 * and sends the message again. Bot text is rendered as a small markdown subset
 * with DOM APIs only: never as HTML.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const DEFAULTS = {
    serverUrl: "http://localhost:5005",
    title: "Agency assistant",
    color: "#1f5eff",
    greeting:
      "Hi! I can explain outsourcing, outstaffing and offshoring, " +
      "or help you put together a team. What would you like to know?",
    position: "right",
    starters: [
      { title: "What is outstaffing?", payload: "What is outstaffing?" },
      { title: "Outsourcing vs offshoring", payload: "What is the difference between outsourcing and offshoring?" },
      { title: "Discuss my team needs", payload: "/hire_developers" },
    ],
    maxLength: 1000,
    historyLimit: 200,
  };
  const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
  const SAFE_LINK = /^(https?:|mailto:)/i;

  const config = readConfig();
  const storageKey = `agency-chat:${config.serverUrl}`;
  let state = loadState();
  let ui = null;
  let inFlight = false;
  let retryTimer = null;
  let retryAttempt = 0;

  function readConfig() {
    const fromPage = window.AgencyChatConfig || {};
    const fromTag = script ? { ...script.dataset } : {};
    const merged = { ...DEFAULTS, ...fromTag, ...fromPage };
    merged.serverUrl = String(merged.serverUrl).replace(/\/+$/, "");
    merged.position = merged.position === "left" ? "left" : "right";
    merged.maxLength = Number(merged.maxLength) || DEFAULTS.maxLength;
    return merged;
  }

  // ---- state: the session and the conversation, kept across page loads ----

  function freshState() {
    // No session until the first message: the server issues it (startSession).
    // pending: the message being sent; queue: those typed meanwhile, sent in turn.
    return {
      sessionId: null, token: null, messages: [], open: false, unread: 1, pending: null, queue: [],
    };
  }

  function loadState() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(storageKey));
      if (saved && Array.isArray(saved.messages)) {
        const state = { ...freshState(), ...saved };
        if (!Array.isArray(state.queue)) state.queue = [];
        // A session id without its token (kept by an older widget) starts a new session.
        if (typeof state.sessionId !== "string" || typeof state.token !== "string") forgetSession(state);
        return state;
      }
    } catch (error) {
      // Storage unavailable or corrupt: start a new conversation.
    }
    return freshState();
  }

  function forgetSession(target = state) {
    target.sessionId = null;
    target.token = null;
  }

  function saveState() {
    state.messages = state.messages.slice(-config.historyLimit);
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      // Private mode or full storage: the conversation lives for this page only.
    }
  }

  // ---- markdown subset: **bold**, *italics*, [links](https://...), lists ----

  function renderInline(text, parent) {
    const pattern = /\\([\\`*_[\]()<>#|~-])|\*\*(.+?)\*\*|\*(?!\s)(.+?)\*|_(?!\s)(.+?)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      parent.append(document.createTextNode(text.slice(last, match.index)));
      const [whole, escaped, bold, italic, underscored, label, href] = match;
      if (escaped !== undefined) {
        parent.append(document.createTextNode(escaped));
      } else if (bold !== undefined) {
        renderInline(bold, parent.appendChild(document.createElement("strong")));
      } else if (italic !== undefined || underscored !== undefined) {
        renderInline(italic ?? underscored, parent.appendChild(document.createElement("em")));
      } else if (SAFE_LINK.test(href)) {
        const link = parent.appendChild(document.createElement("a"));
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        renderInline(label, link);
      } else {
        parent.append(document.createTextNode(whole)); // unsafe scheme: shown as typed
      }
      last = match.index + whole.length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    let list = null;
    let paragraph = null;
    for (const line of String(text).split("\n")) {
      const item = /^\s*(?:([-*])|(\d+)\.)\s+(.*)$/.exec(line);
      if (item) {
        const kind = item[1] ? "UL" : "OL";
        if (!list || list.nodeName !== kind) {
          list = fragment.appendChild(document.createElement(kind.toLowerCase()));
        }
        renderInline(item[3], list.appendChild(document.createElement("li")));
        paragraph = null;
      } else if (line.trim() === "") {
        list = null;
        paragraph = null;
      } else {
        list = null;
        if (paragraph) paragraph.append(document.createElement("br"));
        else paragraph = fragment.appendChild(document.createElement("p"));
        renderInline(line, paragraph);
      }
    }
    return fragment;
  }

  // ---- the DOM, in a shadow root so the host page's styles do not leak in ----

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function chatIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "launcher-icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  function build() {
    const host = element("div", { id: "agency-chat", "data-position": config.position });
    const root = host.attachShadow({ mode: "open" });
    const styles = element("link", { rel: "stylesheet", href: assetUrl("agency-chat.css") });
    const badge = element("span", { class: "badge", "aria-hidden": "true" });
    const launcher = element(
      "button",
      { class: "launcher", type: "button", "aria-controls": "agency-chat-panel", "aria-expanded": "false" },
      [chatIcon(), badge]
    );
    const title = element("h2", { id: "agency-chat-title", text: config.title });
    const restart = element("button", { type: "button", class: "restart", text: "Start over" });
    const close = element("button", { type: "button", class: "close", "aria-label": "Close chat", text: "\u00D7" });
    const status = element("p", { class: "status", role: "status", hidden: "" });
    const log = element("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
    const typing = element("div", { class: "typing", hidden: "", "aria-label": "The assistant is typing" }, [
      element("span"), element("span"), element("span"),
    ]);
    const input = element("input", {
      type: "text",
      name: "message",
      autocomplete: "off",
      maxlength: String(config.maxLength),
      placeholder: "Type your message",
      "aria-label": "Your message",
    });
    const send = element("button", { type: "submit", class: "send", text: "Send" });
    const form = element("form", { class: "composer" }, [input, send]);
    const panel = element(
      "section",
      { id: "agency-chat-panel", class: "panel", role: "dialog", "aria-labelledby": "agency-chat-title", hidden: "" },
      [element("header", {}, [title, restart, close]), status, log, typing, form]
    );
    root.append(styles, panel, launcher);
    host.style.setProperty("--agency-chat-color", config.color);
    document.body.append(host);
    return { host, launcher, badge, panel, restart, close, status, log, typing, form, input, send };
  }

  function assetUrl(name) {
    const base = script ? new URL(".", script.src).href : `${config.serverUrl}/widget/`;
    return new URL(name, base).href;
  }

  // ---- rendering the conversation ----

  function renderMessage(message, index) {
    const bubble = element("div", { class: `message ${message.from}` });
    if (message.from === "bot") bubble.append(renderMarkdown(message.text || ""));
    else bubble.textContent = message.text;
    if (message.error) bubble.append(element("span", { class: "note", text: " (not sent yet)" }));
    if (message.buttons && message.buttons.length) {
      const choices = element("div", { class: "choices", role: "group", "aria-label": "Choices" });
      for (const button of message.buttons) {
        const choice = element("button", { type: "button", class: "choice", text: button.title });
        if (message.answered || index < state.messages.length - 1) choice.disabled = true;
        choice.addEventListener("click", () => choose(index, button));
        choices.append(choice);
      }
      bubble.append(choices);
    }
    return bubble;
  }

  function render() {
    ui.log.replaceChildren(...state.messages.map(renderMessage));
    ui.log.scrollTop = ui.log.scrollHeight;
    const last = state.messages[state.messages.length - 1];
    const onlyButtons = Boolean(last && last.inputMode === "buttons" && !last.answered);
    ui.input.disabled = onlyButtons;
    ui.send.disabled = onlyButtons;
    ui.input.placeholder = onlyButtons ? "Choose an option above" : "Type your message";
    ui.typing.hidden = !inFlight;
    ui.badge.textContent = state.unread > 0 ? String(state.unread) : "";
    ui.badge.hidden = state.unread === 0 || state.open;
    ui.launcher.setAttribute(
      "aria-label",
      state.unread > 0 && !state.open ? `Open chat, ${state.unread} unread` : state.open ? "Close chat" : "Open chat"
    );
  }

  function greetIfNew() {
    if (state.messages.length === 0) {
      state.messages.push({ from: "bot", text: config.greeting, buttons: config.starters });
      saveState();
    }
  }

  function setOpen(open, moveFocus = true) {
    state.open = open;
    if (open) state.unread = 0;
    if (open) greetIfNew();
    saveState();
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    render();
    if (!moveFocus) return;
    if (!open) ui.launcher.focus();
    else if (!ui.input.disabled) ui.input.focus();
    else (ui.log.querySelector(".choice:not([disabled])") || ui.close).focus();
  }

  function showStatus(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  // ---- talking to the REST channel ----

  // The server no longer knows the session's token (401): a new session is needed.
  class SessionEnded extends Error {}

  function botMessages(replies) {
    const messages = [];
    for (const reply of Array.isArray(replies) ? replies : []) {
      if (reply.custom && reply.custom.input === "buttons" && messages.length) {
        messages[messages.length - 1].inputMode = "buttons";
      } else if (typeof reply.text === "string" || Array.isArray(reply.buttons)) {
        messages.push({
          from: "bot",
          text: typeof reply.text === "string" ? reply.text : "",
          buttons: (reply.buttons || []).map((b) => ({ title: String(b.title), payload: String(b.payload) })),
        });
      }
    }
    return messages;
  }

  async function startSession() {
    const response = await fetch(`${config.serverUrl}/webhooks/rest/session`, { method: "POST" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const session = await response.json();
    if (typeof session.sender !== "string" || typeof session.token !== "string") {
      throw new Error("the server gave no session");
    }
    state.sessionId = session.sender;
    state.token = session.token;
    saveState();
  }

  async function post(text) {
    if (!state.token) await startSession();
    const response = await fetch(`${config.serverUrl}/webhooks/rest/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ sender: state.sessionId, message: text, metadata: { page_url: window.location.href } }),
    });
    if (response.status === 401) throw new SessionEnded();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function deliver() {
    if (inFlight || !state.pending) return;
    inFlight = true;
    render();
    const pending = state.pending;
    let renewed = false;
    try {
      const messages = botMessages(await post(pending.text));
      for (const message of state.messages) delete message.error;
      // The answer goes right after its question, before any message typed meanwhile.
      state.messages.splice(pending.index + 1, 0, ...messages);
      for (const queued of state.queue) queued.index += messages.length;
      state.pending = state.queue.shift() || null;
      if (!state.open) state.unread += messages.length;
      retryAttempt = 0;
      showStatus("");
    } catch (error) {
      if (error instanceof SessionEnded) forgetSession();
      // Once per message, a session the server no longer knows is renewed at once;
      // after that (or for any other failure) the message waits for a retry.
      renewed = error instanceof SessionEnded && !pending.renewed;
      pending.renewed = pending.renewed || renewed;
      if (!renewed) {
        pending.failed = true;
        const visitorMessage = state.messages[pending.index];
        if (visitorMessage) visitorMessage.error = true;
        showStatus("Can't reach the assistant right now. Reconnecting\u2026");
        scheduleRetry();
      }
    } finally {
      inFlight = false;
      saveState();
      render();
    }
    if (renewed || (state.pending && !state.pending.failed)) deliver();
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    const delay = RETRY_DELAYS_MS[Math.min(retryAttempt, RETRY_DELAYS_MS.length - 1)];
    retryAttempt += 1;
    retryTimer = setTimeout(deliver, delay);
  }

  function say(text, shown = text) {
    // Shown at once; sent when the answer to the one before has arrived.
    state.messages.push({ from: "visitor", text: shown });
    const message = { text, index: state.messages.length - 1 };
    if (state.pending) state.queue.push(message);
    else state.pending = message;
    saveState();
    render();
    deliver();
  }

  function choose(index, button) {
    if (state.pending || inFlight) return;
    state.messages[index].answered = true;
    say(button.payload, button.title);
  }

  function startOver() {
    clearTimeout(retryTimer);
    state = { ...freshState(), open: true, unread: 0 };
    showStatus("");
    greetIfNew();
    render();
    ui.input.focus();
  }

  // ---- wiring ----

  function start() {
    ui = build();
    ui.launcher.addEventListener("click", () => setOpen(!state.open));
    ui.close.addEventListener("click", () => setOpen(false));
    ui.restart.addEventListener("click", startOver);
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") setOpen(false);
    });
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = ui.input.value.trim().slice(0, config.maxLength);
      if (!text || ui.input.disabled) return;
      ui.input.value = "";
      say(text);
    });
    window.addEventListener("online", deliver);
    setOpen(Boolean(state.open), false); // as the visitor left it, without taking focus
    if (state.pending) deliver(); // a message left unsent by the last page
  }

  // For hosts and tests: the configuration, the session id (null until the first
  // message), and the renderer.
  window.AgencyChat = { config, sessionId: () => state.sessionId, renderMarkdown };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
