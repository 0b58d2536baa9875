// Print buttons on the printable pages; `tu_dong=1` (the kiosk's hidden frame) prints on load.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
if (document.body.hasAttribute("data-autoprint")) {
  window.addEventListener("load", () => window.print());
}
