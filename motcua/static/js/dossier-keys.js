/* The touch keyboard / keypad of Tra cứu hồ sơ, and a QR scanner that types like a keyboard and ends with Enter. */
import { pressKey } from "./keyboard.js";

for (const form of document.querySelectorAll("[data-dossier-keys]")) {
  const input = form.querySelector("[data-keys-target]");
  const pad = form.querySelector("[data-keys]");
  if (!input || !pad) continue;
  pad.addEventListener("click", (event) => {
    if (pressKey(event, input)) input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  // Tapping a key must not take the focus away from the field: the scanner types into it.
  pad.addEventListener("pointerdown", (event) => event.preventDefault());
  // Keys tapped before this module ran would be lost: the pad says when it listens.
  pad.dataset.ready = "";
  // A long form (the dossier assessment) keeps its place: no focus jump, no scanner capture.
  if (form.hasAttribute("data-keys-quiet")) continue;
  // Whatever a scanner types lands in the field even when nothing has the focus.
  document.addEventListener("keydown", (event) => {
    if (document.activeElement === input || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Enter" && input.value.trim()) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key.length === 1) {
      input.focus();
    }
  });
  input.focus();
}
