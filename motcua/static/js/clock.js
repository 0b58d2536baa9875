// Keeps the kiosk header clock current: "14:25" and "Thứ Hai, 02/03/2026" in the center's time zone.
export function startClock(root) {
  if (!root) return;
  const zone = root.dataset.tz || "Asia/Ho_Chi_Minh";
  const weekdays = (root.dataset.weekdays || "").split(",");
  const timeEl = root.querySelector("[data-clock-time]");
  const dateEl = root.querySelector("[data-clock-date]");
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, hour12: false, weekday: "short",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  const dayIndex = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

  function tick() {
    const p = Object.fromEntries(parts.formatToParts(new Date()).map((x) => [x.type, x.value]));
    timeEl.textContent = `${p.hour}:${p.minute}`;
    const weekday = weekdays[dayIndex[p.weekday]] || "";
    dateEl.textContent = `${weekday}, ${p.day}/${p.month}/${p.year}`;
  }
  tick();
  setInterval(tick, 10_000);
}
