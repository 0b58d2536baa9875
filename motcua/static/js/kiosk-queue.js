// "Lấy số": one tap, one ticket. The button locks after the first tap and says it is working;
// the server also refuses to issue twice for the same form (kiosk/once.py).
for (const form of document.querySelectorAll("[data-issue-form]")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    const button = form.querySelector('button[type="submit"]');
    // Disable after the submit has started: a disabled button would be left out of the form data.
    setTimeout(() => {
      button.disabled = true;
    }, 0);
    form.querySelector("[data-issue-busy]").hidden = false;
  });
}
