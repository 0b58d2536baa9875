// The citizen's phone page: asks for the ticket's status every few seconds and updates the card.
// It stops once nothing can change (done, no-show…), and looks again as soon as the tab is shown.
const card = document.querySelector("[data-ticket]");

function show(state) {
  for (const field of card.querySelectorAll("[data-field]")) {
    const value = state[field.dataset.field];
    field.textContent = value ?? "";
    if (field.dataset.field === "detail") field.hidden = !value;
  }
  const box = card.querySelector("[data-status-box]");
  const before = box.className;
  box.className = `tk-status tk-status--${state.tone}`;
  if (state.tone === "called" && before !== box.className && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  card.querySelector("[data-waiting-facts]").hidden = state.people_ahead === null;
  document.title = `${state.code} · ${state.title}`;
  if (state.final) stop();
}

let timer = null;
async function refresh() {
  try {
    const response = await fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (response.ok) show(await response.json());
  } catch {
    // Offline for a moment (lift, basement): the next tick tries again.
  }
}
function stop() {
  clearInterval(timer);
  timer = null;
  card.dataset.final = "";
  card.querySelector("[data-live-dot]")?.setAttribute("hidden", "");
  card.querySelector("[data-live-note]")?.remove();
}

if (card && !card.hasAttribute("data-final")) {
  timer = setInterval(refresh, Number(card.dataset.pollSeconds || 10) * 1000);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && timer) refresh();
  });
}
