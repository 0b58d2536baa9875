// Kiosk rating screens. The comment screen sends the chosen answer by itself after a quiet spell
// (the citizen may just walk away); any touch starts the count again. The thanks screen goes home.
function countdown(seconds, counter, done) {
  let left = seconds;
  const tick = () => {
    left -= 1;
    if (counter) counter.textContent = String(Math.max(left, 0));
    if (left <= 0) done();
  };
  return { timer: setInterval(tick, 1000), reset: () => { left = seconds; if (counter) counter.textContent = String(seconds); } };
}

const form = document.querySelector("[data-rating-autosend]");
if (form) {
  const run = countdown(Number(form.dataset.ratingAutosend), form.querySelector("[data-rating-count]"), () => {
    clearInterval(run.timer);
    form.requestSubmit();
  });
  for (const event of ["pointerdown", "keydown", "input"]) document.addEventListener(event, run.reset, { capture: true });
  // Sending twice would only meet "already rated": keep the buttons from a second tap.
  form.addEventListener("submit", () => {
    clearInterval(run.timer);
    for (const button of form.querySelectorAll("button[type=submit]")) setTimeout(() => { button.disabled = true; });
  });
}

const thanks = document.querySelector("[data-rating-home]");
if (thanks) {
  const run = countdown(Number(thanks.dataset.ratingHome), thanks.querySelector("[data-rating-count]"), () => {
    clearInterval(run.timer);
    window.location.assign(thanks.dataset.homeUrl);
  });
}
