import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as electron from "electron";
import { startDesktop } from "./app.js";
import { loadDesktopConfig } from "./config.js";

void startDesktop(electron, loadDesktopConfig(), { mainDir: dirname(fileURLToPath(import.meta.url)) });
