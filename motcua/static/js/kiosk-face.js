// Face check at the kiosk (identity_*.html): wait for the card reader, capture the camera's
// frames and post them. Every screen of the check sends "home" through the cancel address, so
// the citizen's identity never outlives their visit (home button, idle timer, cancel).

const FRAME_COUNT = 12;
const CAPTURE_MS = 2500;
const READY_MS = 1500; // looking straight first: the engine's baseline for the challenge
const POLL_MS = 1500;
const LATE_MS = 45000;

function csrfToken(root) {
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function sendHomeThroughCancel(body) {
  const here = document.querySelector("[data-face-cancel-here]");
  const cancel = body.dataset.faceCancel || (here && here.dataset.faceCancelHere);
  if (!cancel) return;
  const idleNext = document.querySelector("#idle-home input[name=next]");
  if (idleNext) idleNext.value = cancel;
  for (const link of document.querySelectorAll("[data-testid=home-button]")) link.href = cancel;
}

function waitForCard(section) {
  const started = Date.now();
  const late = section.querySelector("[data-card-late]");
  async function poll() {
    try {
      const response = await fetch(section.dataset.claimUrl, {
        method: "POST", headers: { "X-CSRFToken": csrfToken(section) }, credentials: "same-origin",
      });
      const answer = await response.json();
      if (answer.ready && answer.next) {
        window.location.assign(answer.next);
        return;
      }
    } catch (error) {
      // a network hiccup: try again at the next tick
    }
    if (late && Date.now() - started > LATE_MS) late.hidden = false;
    setTimeout(poll, POLL_MS);
  }
  setTimeout(poll, 300);
}

function phase(section, name) {
  for (const item of section.querySelectorAll("[data-face-phase]")) {
    item.classList.toggle("is-current", item.dataset.facePhase === name);
    item.classList.toggle("is-done", itemIndex(item) < phaseIndex(name));
  }
}
const PHASES = ["ready", "challenge", "checking"];
const phaseIndex = (name) => PHASES.indexOf(name);
const itemIndex = (item) => PHASES.indexOf(item.dataset.facePhase);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function grab(video, canvas) {
  canvas.width = video.videoWidth || 640;
  canvas.height = video.videoHeight || 480;
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
}

async function capture(section, video) {
  const canvas = document.createElement("canvas");
  const frames = [];
  const gap = CAPTURE_MS / FRAME_COUNT;
  for (let i = 0; i < FRAME_COUNT; i += 1) {
    if (i === 3) phase(section, "challenge"); // three baseline frames, then the challenge
    const blob = await grab(video, canvas);
    if (blob) frames.push(blob);
    await sleep(gap);
  }
  return frames;
}

async function post(section, frames) {
  const form = new FormData();
  frames.forEach((blob, i) => form.append("frames", blob, `frame-${i}.jpg`));
  const response = await fetch(section.dataset.postUrl, {
    method: "POST", body: form, headers: { "X-CSRFToken": csrfToken(section) }, credentials: "same-origin",
  });
  return response.json();
}

function stop(stream) {
  for (const track of stream.getTracks()) track.stop();
}

async function countdown(section) {
  const out = section.querySelector("[data-face-countdown]");
  for (let n = 3; n > 0; n -= 1) {
    out.textContent = String(n);
    await sleep(READY_MS / 3);
  }
  out.textContent = "";
}

async function runCamera(section) {
  const video = section.querySelector("[data-face-video]");
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" }, audio: false,
    });
  } catch (error) {
    section.querySelector("[data-face-error]").hidden = false;
    section.querySelector("[data-face-off]").hidden = true;
    return;
  }
  video.srcObject = stream;
  await video.play().catch(() => {});
  section.querySelector("[data-face-off]").hidden = true;
  section.classList.add("is-live");
  await countdown(section);
  const frames = await capture(section, video);
  phase(section, "checking");
  section.classList.add("is-checking");
  stop(stream);
  try {
    const answer = await post(section, frames);
    window.location.assign(answer.next || section.dataset.postUrl);
  } catch (error) {
    section.querySelector("[data-face-error]").hidden = false;
  }
}

sendHomeThroughCancel(document.body);
const cardSection = document.querySelector("[data-card-wait]");
if (cardSection) waitForCard(cardSection);
const cameraSection = document.querySelector("[data-face-camera]");
if (cameraSection) runCamera(cameraSection);
