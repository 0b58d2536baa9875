// Display board: keeps the server-rendered board current and speaks each call.
//
// Live path: a WebSocket to /ws/board/<center>/[<floor>/] that pushes queue events (see
// motcua/queueing/broadcast.py). It reconnects by itself with a growing delay; while it is down
// the page polls /board/<center>/feed/?since=<last event id> every few seconds, so a board never
// misses a call. Announcements play one after another (chime + voice in one WAV), never at once.

const cfg = JSON.parse(document.getElementById("board-config").textContent);
const $ = (sel, root = document) => root.querySelector(sel);

const POLL_MS = 3000;
const REFRESH_MS = 20000; // counters' states and the ticket each serves, even when idle
const HEARTBEAT_MS = 25000;
const SILENCE_LIMIT_MS = 60000; // no message at all for this long: the socket is dead
const MAX_BACKOFF_MS = 30000;
const FLASH_MS = 6000;
const PLAY_TIMEOUT_MS = 30000;

let lastEventId = cfg.lastEventId || 0;
const seen = new Set();
const stats = { ws: 0, poll: 0, played: 0 };
window.boardStats = stats; // read by the browser tests and handy when debugging a screen

// --- clock -------------------------------------------------------------------------------

function startClock() {
  const root = $("[data-clock]");
  const weekdays = (root.dataset.weekdays || "").split(",");
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: root.dataset.tz || "Asia/Ho_Chi_Minh", hour12: false, weekday: "short",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const dayIndex = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  let startDay = null;
  function tick() {
    const p = Object.fromEntries(format.formatToParts(new Date()).map((x) => [x.type, x.value]));
    $("[data-clock-time]", root).textContent = `${p.hour}:${p.minute}:${p.second}`;
    $("[data-clock-date]", root).textContent = `${weekdays[dayIndex[p.weekday]] || ""}, ${p.day}/${p.month}/${p.year}`;
    // A new business day starts with an empty board: reload once this screen's date changes
    // (compared with its own first reading, so a wrong PC clock cannot cause a reload loop).
    const day = `${p.year}-${p.month}-${p.day}`;
    startDay = startDay || day;
    if (day !== startDay) window.location.reload();
  }
  tick();
  setInterval(tick, 1000);
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hour12: false });

// --- drawing -----------------------------------------------------------------------------

function flash(el) {
  if (!el) return;
  el.classList.remove("is-flash");
  void el.offsetWidth; // restart the animation when the same element flashes again
  el.classList.add("is-flash");
  clearTimeout(el._flashTimer);
  el._flashTimer = setTimeout(() => el.classList.remove("is-flash"), FLASH_MS);
}

function showLatest(event) {
  const now = $("[data-now]");
  now.classList.remove("is-empty");
  now.classList.toggle("is-recall", event.kind === "recalled");
  $("[data-now-code]", now).textContent = event.ticket.code;
  $("[data-now-counter]", now).textContent = event.counter.number;
  $("[data-now-queue]", now).textContent = event.ticket.queue_name;
  const kind = $("[data-now-kind]", now);
  if (!kind.dataset.called) kind.dataset.called = kind.textContent;
  kind.textContent = event.kind === "recalled" ? cfg.text.recalled : kind.dataset.called;
  flash(now);
}

function addRecent(event) {
  const list = $("[data-recent]");
  list.querySelectorAll("[data-ticket]").forEach((li) => { if (li.dataset.ticket === event.ticket.code) li.remove(); });
  const li = document.createElement("li");
  li.className = "b-recent__item";
  li.dataset.ticket = event.ticket.code;
  const parts = [
    ["b-recent__code", event.ticket.code],
    ["b-recent__arrow", "➜"],
    ["b-recent__counter", cfg.text.counter.replace("%(n)s", event.counter.number)],
  ];
  for (const [cls, text] of parts) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  const time = document.createElement("time");
  time.className = "b-recent__time";
  time.dateTime = event.at;
  time.textContent = timeFormat.format(new Date(event.at));
  li.append(time);
  list.prepend(li);
  while (list.children.length > cfg.recentLimit) list.lastElementChild.remove();
  fitRecent();
}

// Keep only whole lines: on a smaller screen the oldest calls give way instead of being cut.
function fitRecent() {
  const list = $("[data-recent]");
  while (list.children.length > 1 && list.lastElementChild.offsetTop + list.lastElementChild.offsetHeight > list.offsetTop + list.clientHeight) {
    list.lastElementChild.remove();
  }
}

function counterTile(id) {
  return document.querySelector(`[data-counter-id="${id}"]`);
}

function drawCounter(tile, state, ticket) {
  tile.classList.remove("is-open", "is-paused", "is-closed");
  tile.classList.add(`is-${state}`);
  tile.classList.toggle("has-ticket", Boolean(ticket));
  const label = ticket || (state === "paused" ? cfg.text.paused : state === "closed" ? cfg.text.closed : cfg.text.free);
  $("[data-counter-ticket]", tile).textContent = label;
}

function applyCounters(counters) {
  for (const c of counters || []) {
    const tile = counterTile(c.id);
    if (tile) drawCounter(tile, c.state, c.ticket);
  }
}

function applyWaiting(waiting) {
  if (!waiting) return;
  document.querySelectorAll("[data-queue]").forEach((li) => {
    const n = waiting[li.dataset.queue] || 0;
    $("[data-waiting]", li).textContent = n;
    li.classList.toggle("is-zero", n === 0);
  });
}

function applyWaits(waits) {
  // Minutes a ticket taken now would likely wait; refreshed with every poll of the feed.
  if (!waits) return;
  const list = document.querySelector("[data-wait-text]");
  if (!list) return;
  list.querySelectorAll("[data-queue]").forEach((li) => {
    const minutes = waits[li.dataset.queue];
    const text = minutes === null || minutes === undefined
      ? list.dataset.waitNone
      : list.dataset.waitText.replace("__N__", String(minutes));
    $("[data-wait]", li).textContent = text;
  });
}

function handle(event, source) {
  if (!event || event.kind === "pong") return;
  applyWaiting(event.waiting);
  if (event.kind === "counter" && event.counter) {
    const tile = counterTile(event.counter.id);
    if (tile) drawCounter(tile, event.counter.state, event.counter.ticket);
    return;
  }
  if (event.kind !== "called" && event.kind !== "recalled") return;
  if (seen.has(event.event_id)) return; // the socket and a catch-up poll can bring the same call
  seen.add(event.event_id);
  lastEventId = Math.max(lastEventId, event.event_id);
  stats[source] += 1;
  document.body.dataset.lastSource = source;
  if (cfg.floor && event.counter.floor !== cfg.floor) return;
  showLatest(event);
  addRecent(event);
  const tile = counterTile(event.counter.id);
  if (tile) {
    drawCounter(tile, "open", event.ticket.code);
    flash(tile);
  }
  announce(event);
}

// --- sound -------------------------------------------------------------------------------

const player = new Audio();
const queue = [];
let playing = false;
let unlocked = false;
let playTimer = null;

function announce(event) {
  const url = cfg.voice ? cfg.audioUrl.replace(/0\.wav$/, `${event.event_id}.wav`) : cfg.chimeUrl;
  queue.push(url);
  playNext();
}

function finished() {
  clearTimeout(playTimer);
  playing = false;
  playNext();
}

function playNext() {
  if (playing || !queue.length) return;
  if (!unlocked) { showSoundButton(); return; } // keep the calls until someone allows sound
  playing = true;
  player.src = queue.shift();
  playTimer = setTimeout(finished, PLAY_TIMEOUT_MS); // a stalled download must not block the next call
  player.play().then(() => { stats.played += 1; }).catch((err) => {
    if (err && err.name === "NotAllowedError") { unlocked = false; showSoundButton(); }
    finished();
  });
}
player.addEventListener("ended", finished);
player.addEventListener("error", finished);

function showSoundButton() {
  $("[data-sound-button]").hidden = false;
}

function enableSound() {
  unlocked = true;
  $("[data-sound-button]").hidden = true;
  playNext();
}

function setUpSound() {
  $("[data-sound-button]").addEventListener("click", () => {
    // Playing something inside the click is what unlocks audio; the chime says "sound is on".
    if (!queue.length) queue.push(cfg.chimeUrl);
    enableSound();
  });
  if (cfg.autoplay) {
    enableSound(); // a kiosk started with --autoplay-policy=no-user-gesture-required
  } else {
    showSoundButton();
  }
}

// --- connection --------------------------------------------------------------------------

const status = $("[data-status]");
let socket = null;
let backoff = 1000;
let pollTimer = null;
let lastMessageAt = 0;

function setStatus(state) {
  status.dataset.state = state;
  for (const name of ["live", "polling", "connecting"]) {
    $(`[data-status-${name}]`, status).hidden = name !== state;
  }
}

async function poll(source = "poll") {
  const params = new URLSearchParams({ since: String(lastEventId) });
  if (cfg.floor) params.set("floor", cfg.floor);
  try {
    const response = await fetch(`${cfg.feedUrl}?${params}`, { cache: "no-store" });
    if (!response.ok) return;
    const data = await response.json();
    for (const event of data.events) handle(event, source);
    lastEventId = Math.max(lastEventId, data.last_event_id || 0);
    applyCounters(data.counters);
    applyWaiting(data.waiting);
    applyWaits(data.waits);
  } catch (err) {
    // The server is unreachable too: keep the last picture and try again on the next tick.
  }
}

function startPolling() {
  if (pollTimer) return;
  pollTimer = setInterval(poll, POLL_MS);
  poll();
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

function connect() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  setStatus(socket ? "polling" : "connecting");
  socket = new WebSocket(`${scheme}://${window.location.host}${cfg.wsPath}`);
  socket.addEventListener("open", () => {
    backoff = 1000;
    lastMessageAt = Date.now();
    setStatus("live");
    stopPolling();
    poll("poll"); // catch up on calls made while the page loaded or the socket was down
  });
  socket.addEventListener("message", (message) => {
    lastMessageAt = Date.now();
    try { handle(JSON.parse(message.data), "ws"); } catch (err) { /* a malformed message is skipped */ }
  });
  socket.addEventListener("close", () => {
    setStatus("polling");
    startPolling();
    const delay = backoff + Math.random() * 500;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    setTimeout(connect, delay);
  });
}

function heartbeat() {
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  if (Date.now() - lastMessageAt > SILENCE_LIMIT_MS) { socket.close(); return; }
  socket.send(JSON.stringify({ type: "ping" }));
}

startClock();
fitRecent();
setUpSound();
if ("WebSocket" in window) {
  connect();
  setInterval(heartbeat, HEARTBEAT_MS);
} else {
  setStatus("polling");
  startPolling();
}
setInterval(() => { if (!pollTimer) poll(); }, REFRESH_MS);
