// The phone ticket page's "Đánh giá": once the ticket is done (the page marks its card final),
// fetch the rating box and show it under the card. Nothing comes back (204) when the ticket
// cannot be rated: not served, already rated, or the rating window has closed.
const card = document.querySelector("[data-ticket]");
const slot = document.querySelector("[data-rating-slot]");

async function load() {
  try {
    const response = await fetch(`${slot.dataset.url}?phan=1`, { cache: "no-store" });
    if (response.status === 200) slot.innerHTML = await response.text();
  } catch {
    // Offline for a moment: the box stays away; the next reload shows it.
  }
}

if (card && slot) {
  if (card.hasAttribute("data-final")) {
    load();
  } else {
    const watch = new MutationObserver(() => {
      if (!card.hasAttribute("data-final")) return;
      watch.disconnect();
      load();
    });
    watch.observe(card, { attributes: true, attributeFilter: ["data-final"] });
  }
}
