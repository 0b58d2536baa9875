// The live floor (console "today" page): listens to the center's board socket and, a moment
// after each queue event, reloads the figures in place. Without a socket (or while it is down)
// the figures reload every 30 seconds. Nothing here keeps state the server does not send.
const root = document.querySelector("[data-live-root]");
const flag = document.querySelector("[data-live-flag]");
const stamp = document.querySelector("[data-live-stamp]");
const SETTLE_MS = 1200;
const POLL_MS = 30000;
let socket = null;
let timer = null;
let delay = 1000;

async function reload() {
  timer = null;
  try {
    const response = await fetch(window.location.href, { headers: { "X-Requested-With": "fetch" }, cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-live-root]");
    const freshStamp = page.querySelector("[data-live-stamp]");
    if (fresh && root) root.replaceChildren(...fresh.childNodes);
    if (freshStamp && stamp) stamp.textContent = freshStamp.textContent;
  } catch (error) {
    // offline for a moment: the next event or poll tries again
  }
}

function soon() {
  if (timer === null) timer = setTimeout(reload, SETTLE_MS);
}

function connect() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.liveSocket}`);
  socket.addEventListener("open", () => { delay = 1000; if (flag) flag.hidden = false; });
  socket.addEventListener("message", (event) => {
    if (!event.data.includes('"pong"')) soon();
  });
  socket.addEventListener("close", () => {
    if (flag) flag.hidden = true;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  });
}

if (root) {
  if ("WebSocket" in window && root.dataset.liveSocket) connect();
  setInterval(() => {
    if (!socket || socket.readyState !== WebSocket.OPEN) reload();
    else socket.send(JSON.stringify({ type: "ping" }));
  }, POLL_MS);
}
