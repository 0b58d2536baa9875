// Dossier intake: instant procedure results while typing, a checklist line ticked "missing"
// turns amber and un-ticks "handed in", and "In phiếu" prints the slip.
// Every screen works without this script (plain forms and links).

const DEBOUNCE_MS = 180;

function instantSearch(form) {
  const input = form.querySelector("input[name=q]");
  const target = document.querySelector(form.dataset.results);
  if (!input || !target) return;
  let timer = 0;
  let asked = 0;
  const run = async () => {
    const ticket = ++asked;
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    url.searchParams.set("khung", "1");
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok || ticket !== asked) return; // an older answer must not replace a newer one
      target.innerHTML = await response.text();
      url.searchParams.delete("khung");
      history.replaceState(null, "", url);
    } catch {
      // Offline for a moment: the search button still submits the form.
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  // Arrow down from the box goes to the first result; Enter on a result opens it.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = target.querySelector("a");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });
  target.addEventListener("keydown", (event) => {
    const links = [...target.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (at < 0 || !["ArrowDown", "ArrowUp"].includes(event.key)) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? links[at + 1] : links[at - 1];
    (next || input).focus();
  });
}

function missingLines(form) {
  for (const row of form.querySelectorAll("[data-doc-row]")) {
    const missing = row.querySelector("input[name$='-missing']");
    const provided = row.querySelector("input[name$='-provided']");
    if (!missing) continue;
    missing.addEventListener("change", () => {
      row.classList.toggle("is-missing", missing.checked);
      if (missing.checked && provided) provided.checked = false;
      if (missing.checked) row.querySelector("input[name$='-missing_note']")?.focus();
    });
  }
}

// Print the PDF from a hidden frame, the way the kiosk prints its slip; where the browser's
// viewer refuses (another PDF reader set as default), open the PDF for printing instead.
function printButtons() {
  for (const button of document.querySelectorAll("[data-print-pdf]")) {
    button.addEventListener("click", () => {
      document.querySelector("iframe.di-print-frame")?.remove();
      const frame = Object.assign(document.createElement("iframe"), { className: "di-print-frame", title: "print" });
      frame.style.cssText = "position:fixed;width:0;height:0;border:0;right:0;bottom:0";
      frame.addEventListener("load", () => {
        try {
          frame.contentWindow.focus();
          frame.contentWindow.print();
        } catch {
          window.open(button.dataset.printPdf, "_blank", "noopener");
        }
      });
      frame.src = button.dataset.printPdf;
      document.body.append(frame);
    });
  }
}

function autoSubmit() {
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
}

for (const form of document.querySelectorAll("[data-instant-search]")) instantSearch(form);
for (const form of document.querySelectorAll("[data-intake-form]")) missingLines(form);
printButtons();
autoSubmit();
