import { startAutosubmit } from "./autosubmit.js";

startAutosubmit(document);
