// Returns an unattended kiosk to its home screen (and to Vietnamese) after a quiet spell.
// A warning with a "keep using" button appears for the last 15 seconds.
const WARNING_SECONDS = 15;

export function startIdleTimer(body) {
  const total = Number(body.dataset.idleSeconds || 0);
  const dialog = document.querySelector("[data-idle-dialog]");
  const form = document.getElementById("idle-home");
  if (!total || !dialog || !form) return;
  const countEl = dialog.querySelector("[data-idle-count]");
  let last = Date.now();

  function reset() {
    last = Date.now();
    dialog.hidden = true;
  }
  function check() {
    const left = Math.ceil(total - (Date.now() - last) / 1000);
    if (left <= 0) {
      form.submit();
      return;
    }
    if (left <= WARNING_SECONDS) {
      dialog.hidden = false;
      countEl.textContent = String(left);
    }
  }
  for (const event of ["pointerdown", "touchstart", "keydown", "input", "wheel"]) {
    document.addEventListener(event, reset, { passive: true, capture: true });
  }
  dialog.querySelector("[data-idle-stay]").addEventListener("click", reset);
  setInterval(check, 1000);
}
