// The counter tablet: asks every few seconds which ticket was finished here last and is still
// unrated; shows it with the three faces; after a tap (or a minute untouched) goes back to idle.
const main = document.querySelector("[data-tablet]");
const idle = main.querySelector("[data-tablet-idle]");
const ask = main.querySelector("[data-tablet-ask]");
const thanks = main.querySelector("[data-tablet-thanks]");
const csrf = main.querySelector("input[name=csrfmiddlewaretoken]").value;
const showFor = Number(main.dataset.showSeconds || 60) * 1000;
const dismissed = new Set();
let current = main.dataset.ticketKey || null;
let shownAt = current ? Date.now() : 0;
let thanksUntil = 0;

function screen(which) {
  idle.hidden = which !== idle;
  ask.hidden = which !== ask;
  thanks.hidden = which !== thanks;
}

function show(ticket) {
  if (Date.now() < thanksUntil) return;
  if (current && Date.now() - shownAt > showFor) {
    dismissed.add(current);
    current = null;
  }
  if (!ticket || dismissed.has(ticket.key)) {
    current = null;
    screen(idle);
    return;
  }
  if (ticket.key !== current) {
    current = ticket.key;
    shownAt = Date.now();
    main.querySelector("[data-tablet-code]").textContent = ticket.code;
  }
  screen(ask);
}

async function poll() {
  try {
    const response = await fetch(main.dataset.stateUrl, { cache: "no-store", headers: { Accept: "application/json" } });
    if (response.ok) show((await response.json()).ticket);
  } catch {
    // The network dropped for a moment: the next tick tries again.
  }
}

async function rate(answer) {
  const key = current;
  if (!key) return;
  dismissed.add(key);
  const body = new URLSearchParams({ key, answer });
  let message = "";
  try {
    const response = await fetch(main.dataset.postUrl, {
      method: "POST", body, headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    });
    message = (await response.json()).message || "";
  } catch {
    message = "";
  }
  if (message) thanks.querySelector("[data-tablet-message]").textContent = message;
  current = null;
  thanksUntil = Date.now() + 5000;
  screen(thanks);
  setTimeout(() => { thanksUntil = 0; poll(); }, 5000);
}

for (const button of main.querySelectorAll("[data-answer]")) {
  button.addEventListener("click", () => rate(button.dataset.answer));
}
setInterval(poll, Number(main.dataset.pollSeconds || 3) * 1000);
setInterval(() => show(current ? { key: current, code: main.querySelector("[data-tablet-code]").textContent } : null), 1000);
