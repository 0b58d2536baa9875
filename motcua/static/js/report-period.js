// The period chooser shows only the fields of the chosen kind (month, quarter, year, range);
// without JavaScript every field shows and the server reads the ones the kind needs.
const form = document.querySelector("[data-testid=period-form]");
const kind = form && form.querySelector("[data-period-kind]");

function show() {
  for (const label of form.querySelectorAll("label[data-for]")) {
    const on = label.dataset.for.split(" ").includes(kind.value);
    label.hidden = !on;
    for (const field of label.querySelectorAll("input, select")) field.disabled = !on;
  }
}

if (kind) {
  kind.addEventListener("change", show);
  show();
}
