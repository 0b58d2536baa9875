import { startAutosubmit } from "./autosubmit.js";
import { startClock } from "./clock.js";
import { startIdleTimer } from "./idle.js";
import { startKeyboard } from "./keyboard.js";
import { startSlipPrinting } from "./print-slip.js";

startClock(document.querySelector("[data-clock]"));
startIdleTimer(document.body);
startKeyboard(document.querySelector("[data-kiosk-search]"));
startSlipPrinting(document);
startAutosubmit(document);
// A touch screen has no right click, and a long press must not open a context menu.
document.addEventListener("contextmenu", (event) => event.preventDefault());
