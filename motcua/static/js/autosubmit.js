// Filters that apply as soon as they change (a select for agency, sector or center).
export function startAutosubmit(root) {
  for (const field of root.querySelectorAll("[data-autosubmit]")) {
    field.addEventListener("change", () => {
      const form = field.form;
      form.querySelector('input[name="page"]')?.remove();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  }
}
