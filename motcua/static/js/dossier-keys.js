/* The touch keyboard / keypad of Tra cứu hồ sơ, and a QR scanner that types like a keyboard and ends with Enter. */
for (const form of document.querySelectorAll("[data-dossier-keys]")) {
  const input = form.querySelector("[data-keys-target]");
  const pad = form.querySelector("[data-keys]");
  if (!input || !pad) continue;
  pad.addEventListener("click", (event) => {
    const key = event.target.closest("button");
    if (!key || key.type === "submit") return;
    const action = key.dataset.keyAction;
    if (action === "clear") input.value = "";
    else if (action === "backspace") input.value = input.value.slice(0, -1);
    else if (input.value.length < input.maxLength) input.value += key.dataset.key;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  // Tapping a key must not take the focus away from the field: the scanner types into it.
  pad.addEventListener("pointerdown", (event) => event.preventDefault());
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
