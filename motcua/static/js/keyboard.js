// On-screen keyboard for the kiosk search box. Search ignores diacritics, so plain letters do.
export function startKeyboard(form) {
  if (!form) return;
  const input = form.querySelector("[data-keyboard-target]");
  const pad = form.querySelector("[data-keyboard]");
  const toggle = form.querySelector("[data-keyboard-toggle]");
  if (!input || !pad || !toggle) return;

  function show(open) {
    pad.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", () => show(pad.hidden));
  input.addEventListener("focus", () => show(true));

  pad.addEventListener("click", (event) => {
    const key = event.target.closest("button");
    if (!key || key.type === "submit") return;
    const action = key.dataset.keyAction;
    if (action === "clear") input.value = "";
    else if (action === "backspace") input.value = input.value.slice(0, -1);
    else input.value += key.dataset.key.toLowerCase();
  });
  // Keep the virtual keys from stealing focus and closing a system keyboard, if any.
  pad.addEventListener("pointerdown", (event) => event.preventDefault());
}
