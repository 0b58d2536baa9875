// Choosing a file picks "upload" (the radio above the file input), so the page says what the citizen did.
const input = document.getElementById("tep");
const upload = document.querySelector('input[type="radio"][value="upload"]');
if (input && upload) {
  input.addEventListener("change", () => {
    if (input.files && input.files.length) upload.checked = true;
  });
}
// After a refused answer, the error summary takes the focus so a screen reader reads it first.
document.getElementById("loi")?.focus();
