// The sales inbox: lists leads, shows one, saves status and notes, exports CSV.
// Every value from the API is rendered with textContent and DOM APIs, never as
// HTML: lead fields are whatever visitors typed.

const TOKEN_KEY = "salesInbox.apiToken";
const PAGE_SIZE = 50;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const state = { status: "", kind: "", offset: 0, total: 0, leadId: null };
// What each kind of request is called (the API's "kind").
const KINDS = { team: "Team", callback: "Call back", candidate: "Candidate" };

const byId = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// ---- the API ----------------------------------------------------------------

function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  try {
    headers.set("Authorization", `Bearer ${storedToken()}`);
  } catch {
    askForToken("That token has characters a token cannot have. Paste it again.");
    throw new ApiError(401, "unusable token");
  }
  const response = await fetch(path, { ...options, headers, cache: "no-store" });
  if (response.status === 401) {
    askForToken("The token was not accepted. Paste it again.");
    throw new ApiError(401, "the token was not accepted");
  }
  if (!response.ok) {
    throw new ApiError(response.status, await errorMessage(response));
  }
  return response;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.error.message || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function filterQuery(extra = {}) {
  const params = new URLSearchParams();
  if (state.status) params.set("status", state.status);
  if (state.kind) params.set("kind", state.kind);
  for (const [name, value] of Object.entries(extra)) params.set(name, String(value));
  const query = params.toString();
  return query ? `?${query}` : "";
}

// ---- rendering helpers ------------------------------------------------------

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function shownTime(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function shownValue(value) {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "—";
  return String(value);
}

function showMessage(id, text, isError = false) {
  const node = byId(id);
  node.textContent = text;
  node.classList.toggle("error", isError);
}

// ---- sign-in ----------------------------------------------------------------

function askForToken(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  byId("inbox").hidden = true;
  byId("sign-out").hidden = true;
  byId("sign-in").hidden = false;
  showMessage("sign-in-message", message, Boolean(message));
  byId("token").focus();
}

function openInbox() {
  byId("sign-in").hidden = true;
  byId("inbox").hidden = false;
  byId("sign-out").hidden = false;
  loadLeads();
}

function onTokenSubmit(event) {
  event.preventDefault();
  const input = byId("token");
  const token = input.value.trim();
  input.value = "";
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  openInbox();
}

// ---- the list ---------------------------------------------------------------

async function loadLeads() {
  showMessage("list-message", "Loading…");
  try {
    const query = filterQuery({ limit: PAGE_SIZE, offset: state.offset });
    const response = await api(`/api/leads${query}`);
    renderLeads(await response.json());
    showMessage("list-message", "");
  } catch (error) {
    if (error.status !== 401) showMessage("list-message", `Could not load the leads: ${error.message}`, true);
  }
}

function renderLeads(page) {
  state.total = page.total;
  byId("lead-rows").replaceChildren(...page.leads.map(leadRow));
  if (!page.leads.length) {
    const row = element("tr");
    const cell = element("td", "No leads match.");
    cell.colSpan = 6;
    row.append(cell);
    byId("lead-rows").append(row);
  }
  const first = page.leads.length ? page.offset + 1 : 0;
  byId("page-info").textContent = `${first}–${page.offset + page.leads.length} of ${page.total}`;
  byId("newer").disabled = page.offset === 0;
  byId("older").disabled = page.offset + page.leads.length >= page.total;
}

function leadRow(lead) {
  const row = element("tr");
  row.tabIndex = 0;
  row.dataset.leadId = String(lead.id);
  row.classList.toggle("selected", lead.id === state.leadId);
  const values = [
    shownTime(lead.created_at), lead.name, lead.company,
    shownValue(lead.roles), teamCell(lead), lead.status,
  ];
  for (const value of values) row.append(element("td", value));
  row.addEventListener("click", () => openLead(lead.id));
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter") openLead(lead.id);
  });
  return row;
}

function teamCell(lead) {
  if (lead.kind === "team") return shownValue(lead.team_size);
  return lead.team_size ? `${KINDS[lead.kind]}: ${lead.team_size}` : KINDS[lead.kind] || lead.kind;
}

function turnPage(step) {
  state.offset = Math.max(0, state.offset + step * PAGE_SIZE);
  loadLeads();
}

// ---- one lead ---------------------------------------------------------------

const FIELDS = [
  ["Request", (lead) => KINDS[lead.kind] || lead.kind],
  ["Status", (lead) => lead.status],
  ["Name", (lead) => lead.name],
  ["Email", (lead) => lead.email],
  ["Phone", (lead) => lead.phone],
  ["Company", (lead) => lead.company],
  ["Roles", (lead) => lead.roles],
  ["Team size", (lead) => lead.team_size],
  ["Seniority", (lead) => lead.seniority],
  ["Tech stack", (lead) => lead.tech_stack],
  ["Engagement", (lead) => lead.engagement_model],
  ["Start", (lead) => lead.start_text],
  ["Start date", (lead) => lead.start_date],
  ["Duration", (lead) => lead.duration],
  ["Budget", (lead) => lead.budget],
  ["Page", (lead) => lead.page_url],
  ["Consent", (lead) => `${lead.consent.text} (given ${shownTime(lead.consent.given_at)})`],
  ["Created", (lead) => shownTime(lead.created_at)],
  ["Updated", (lead) => shownTime(lead.updated_at)],
  ["Version", (lead) => lead.version],
  ["Conversation id", (lead) => lead.conversation_id],
  ["Lead id", (lead) => lead.id],
  ["Possible duplicate of", (lead) => lead.possible_duplicate_of],
];

async function openLead(leadId) {
  state.leadId = leadId;
  showMessage("save-message", "");
  try {
    const response = await api(`/api/leads/${encodeURIComponent(leadId)}`);
    renderLead(await response.json());
  } catch (error) {
    if (error.status !== 401) showMessage("list-message", `Could not open the lead: ${error.message}`, true);
  }
}

function renderLead(lead) {
  byId("lead").hidden = false;
  byId("lead-title").textContent = [lead.name, lead.company].filter(Boolean).join(" — ");
  byId("lead-fields").replaceChildren(...FIELDS.flatMap(([label, value]) => field(label, value(lead), lead)));
  byId("lead-status").value = lead.status;
  byId("lead-notes").value = lead.notes;
  byId("transcript").replaceChildren(...lead.transcript.map(turnItem));
  if (!lead.transcript.length) byId("transcript").append(element("li", "No transcript."));
  byId("deliveries").replaceChildren(...lead.deliveries.map(deliveryRow));
  for (const row of byId("lead-rows").children) {
    row.classList.toggle("selected", row.dataset.leadId === String(lead.id));
  }
}

function field(label, value, lead) {
  const description = element("dd");
  if (label === "Email" && EMAIL.test(lead.email)) {
    const link = element("a", lead.email);
    link.href = `mailto:${encodeURIComponent(lead.email).replace("%40", "@")}`;
    description.append(link);
  } else if (label === "Possible duplicate of" && Number.isInteger(value)) {
    const open = element("button", `Lead ${value} (same email, another conversation)`);
    open.type = "button";
    open.addEventListener("click", () => openLead(value));
    description.append(open);
  } else {
    description.textContent = shownValue(value);
  }
  return [element("dt", label), description];
}

function turnItem(turn) {
  const item = element("li", undefined, `turn ${turn.speaker === "bot" ? "bot" : "visitor"}`);
  const head = element("div", undefined, "turn-head");
  head.append(element("span", turn.speaker === "bot" ? "Bot" : "Visitor", "speaker"));
  head.append(element("time", shownTime(turn.at)));
  item.append(head, element("p", turn.text));
  return item;
}

function deliveryRow(delivery) {
  const row = element("tr");
  const when = delivery.status === "delivered"
    ? shownTime(delivery.delivered_at)
    : delivery.status === "pending" ? `next try ${shownTime(delivery.next_attempt_at)}` : "gave up";
  const values = [
    delivery.channel, delivery.event, delivery.status,
    String(delivery.attempts), when, shownValue(delivery.last_error),
  ];
  for (const value of values) row.append(element("td", value));
  row.classList.add(`delivery-${delivery.status === "failed" ? "failed" : "ok"}`);
  return row;
}

async function onLeadSubmit(event) {
  event.preventDefault();
  if (state.leadId === null) return;
  showMessage("save-message", "Saving…");
  const changes = { status: byId("lead-status").value, notes: byId("lead-notes").value };
  try {
    const response = await api(`/api/leads/${encodeURIComponent(state.leadId)}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(changes),
    });
    renderLead(await response.json());
    showMessage("save-message", "Saved.");
    loadLeads();
  } catch (error) {
    if (error.status !== 401) showMessage("save-message", `Not saved: ${error.message}`, true);
  }
}

function closeLead() {
  state.leadId = null;
  byId("lead").hidden = true;
}

// ---- CSV export -------------------------------------------------------------

function downloadName(disposition) {
  const match = /filename="([^"]+)"/.exec(disposition || "");
  return match ? match[1] : "leads.csv";
}

async function exportCsv() {
  showMessage("list-message", "Exporting…");
  try {
    const response = await api(`/api/leads.csv${filterQuery()}`);
    const url = URL.createObjectURL(await response.blob());
    const link = element("a");
    link.href = url;
    link.download = downloadName(response.headers.get("Content-Disposition"));
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    showMessage("list-message", "");
  } catch (error) {
    if (error.status !== 401) showMessage("list-message", `Could not export: ${error.message}`, true);
  }
}

// ---- start ------------------------------------------------------------------

function start() {
  byId("token-form").addEventListener("submit", onTokenSubmit);
  byId("sign-out").addEventListener("click", () => askForToken());
  byId("kind-filter").addEventListener("change", (event) => {
    state.kind = event.target.value;
    state.offset = 0;
    loadLeads();
  });
  byId("status-filter").addEventListener("change", (event) => {
    state.status = event.target.value;
    state.offset = 0;
    loadLeads();
  });
  byId("refresh").addEventListener("click", () => loadLeads());
  byId("export").addEventListener("click", exportCsv);
  byId("newer").addEventListener("click", () => turnPage(-1));
  byId("older").addEventListener("click", () => turnPage(1));
  byId("close-lead").addEventListener("click", closeLead);
  byId("lead-form").addEventListener("submit", onLeadSubmit);
  if (storedToken()) openInbox();
  else askForToken();
}

start();
