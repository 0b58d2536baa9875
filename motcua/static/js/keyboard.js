// What a tap on an on-screen pad does to its field: clear, backspace, or type one key (within
// the field's maxlength). Returns whether the field changed.
export function pressKey(event, input, transform = (key) => key) {
  const key = event.target.closest("button");
  if (!key || key.type === "submit") return false;
  const action = key.dataset.keyAction;
  if (action === "clear") input.value = "";
  else if (action === "backspace") input.value = input.value.slice(0, -1);
  else if (input.maxLength < 0 || input.value.length < input.maxLength) input.value += transform(key.dataset.key);
  return true;
}

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

  pad.addEventListener("click", (event) => pressKey(event, input, (key) => key.toLowerCase()));
  // Keep the virtual keys from stealing focus and closing a system keyboard, if any.
  pad.addEventListener("pointerdown", (event) => event.preventDefault());
}
