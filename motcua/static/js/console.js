// Counter console: header clock, keyboard shortcuts (F1 call next, F2 recall, F3 start, F4 finish,
// F6 no-show), one submit per click, running timers and a poll of the counter's live figures.
// The page works without this script: every button is a plain form.
import { startClock } from "./clock.js";

const POLL_MS = 5000;

function shortcuts() {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const button = document.querySelector(`button[data-shortcut="${event.key}"]`);
    if (!button) return;
    event.preventDefault(); // F1 would open the browser's help
    if (!button.disabled) button.form.requestSubmit(button);
  });
}

// A second click while the first request is on its way would post the same form twice; the
// server refuses a stale ticket anyway, this only spares the officer a warning.
function oneSubmitPerForm() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    for (const button of form.querySelectorAll("button")) button.setAttribute("aria-busy", "true");
  });
}

function pad(n) {
  return String(n).padStart(2, "0");
}

// Desk PCs often have a wrong clock: count from the server's time when the page was made.
function runningTimers(root) {
  const timers = document.querySelectorAll("[data-since]");
  if (!timers.length) return;
  const serverNow = Date.parse(root?.dataset.serverNow || "");
  const skew = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
  const tick = () => {
    for (const el of timers) {
      const seconds = Math.max(0, Math.floor((Date.now() + skew - Date.parse(el.dataset.since)) / 1000));
      const h = Math.floor(seconds / 3600);
      const m = Math.floor((seconds % 3600) / 60);
      el.textContent = h ? `${h}:${pad(m)}:${pad(seconds % 60)}` : `${m}:${pad(seconds % 60)}`;
    }
  };
  tick();
  setInterval(tick, 1000);
}

function chip(ticket) {
  const el = document.createElement("span");
  el.className = ticket.priority ? "c-chip c-chip--priority" : "c-chip";
  el.textContent = ticket.code;
  if (ticket.priority) el.title = ticket.priority;
  return el;
}

function render(root, data) {
  for (const row of data.queues) {
    const item = root.querySelector(`[data-queue="${row.id}"]`);
    if (!item) continue;
    item.querySelector("[data-waiting-count]").textContent = row.waiting;
    const upcoming = item.querySelector("[data-upcoming]");
    if (row.upcoming.length) upcoming.replaceChildren(...row.upcoming.map(chip));
    else upcoming.replaceChildren(Object.assign(document.createElement("span"), { className: "muted", textContent: root.dataset.emptyText }));
  }
  const served = root.querySelector("[data-served-today]");
  if (served) served.textContent = data.served_today;
}

// The desk changed elsewhere (another tab, the API): reload so buttons act on what is shown,
// unless the officer is typing or choosing in a form.
function changedElsewhere(root, data) {
  const shown = root.dataset.current || "";
  const now = data.current ? String(data.current.id) : "";
  return shown !== now || root.dataset.state !== data.state;
}

function busyTyping() {
  const active = document.activeElement;
  return active && ["INPUT", "SELECT", "TEXTAREA"].includes(active.tagName);
}

function poll(root) {
  const url = root.dataset.statusUrl;
  if (!url) return;
  const once = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      if (changedElsewhere(root, data) && !busyTyping()) {
        window.location.reload();
        return;
      }
      render(root, data);
    } catch {
      // Network hiccup: the next poll tries again; the page stays usable meanwhile.
    }
  };
  setInterval(once, POLL_MS);
}

startClock(document.querySelector("[data-clock]"));
shortcuts();
oneSubmitPerForm();
const screen = document.querySelector("[data-counter-screen]");
runningTimers(screen);
if (screen) poll(screen);
document.documentElement.dataset.consoleReady = "1"; // lets browser tests wait for the shortcuts
