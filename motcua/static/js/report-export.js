// The progress page of a report export: asks the same address as JSON (?dang=json) every
// second and moves the bar; once the file is ready it downloads it by itself, once per job
// (a reload does not download it again). Without JavaScript the page refreshes itself.
const box = document.querySelector("[data-export]");
const POLL_MS = 1000;

function show(state) {
  const bar = box.querySelector("[data-export-bar]");
  bar.value = state.progress;
  bar.textContent = `${state.progress} %`;
  box.querySelector("[data-export-percent]").textContent = `${state.progress} %`;
  const step = box.querySelector("[data-export-step]");
  if (step.textContent !== state.step) step.textContent = state.step;
  box.dataset.exportStatus = state.status;
  box.querySelector("[data-export-done]").hidden = state.status !== "done";
  box.querySelector("[data-export-failed]").hidden = state.status !== "failed";
  if (state.status === "failed") box.querySelector("[data-export-error]").textContent = state.error;
  box.querySelector("[data-export-title]").textContent = state.title;
  box.querySelector("[data-export-file]").textContent = state.file;
  const row = document.querySelector("[data-export-row-status]");
  if (row) row.textContent = state.status_label;
  const cell = document.querySelector("[data-export-row-download]");
  if (cell && state.download_url && !cell.firstChild) {
    const link = document.createElement("a");
    link.href = state.download_url;
    link.textContent = box.querySelector("[data-export-download]").textContent.trim();
    cell.append(link);
  }
}

function downloadOnce(url) {
  const key = `motcua-export-${box.dataset.exportId}`;
  try {
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
  } catch (error) {
    // storage refused (private mode): download anyway, the page will not poll again
  }
  window.location.assign(url);
}

async function poll() {
  let state = null;
  try {
    const response = await fetch(box.dataset.exportJson, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (response.ok) state = await response.json();
  } catch (error) {
    // offline for a moment: ask again
  }
  if (state) show(state);
  if (state && state.status === "done" && state.download_url) downloadOnce(state.download_url);
  else if (!state || state.status !== "failed") setTimeout(poll, POLL_MS);
}

if (box) {
  const status = box.dataset.exportStatus;
  if (status === "done") downloadOnce(box.querySelector("[data-export-download]").href);
  else if (status !== "failed") setTimeout(poll, POLL_MS);
}
