/**
 * `npm run desktop`: the front-desk app against the API at ASKPROAI_API_URL (default
 * http://127.0.0.1:3000). With an Electron binary it starts Electron; where none could be installed
 * (its postinstall downloads it, and this kind of machine cannot), it serves the same built renderer
 * to a browser at a printed URL, with the browser shim in place of the preload bridge.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBrowserHost } from "../src/host/browser-server.js";
import { loadDesktopConfig } from "../src/main/config.js";

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const rendererDir = join(appDir, "out/renderer");
const config = loadDesktopConfig();

/** The Electron binary's path, or null when the package is there without its binary. */
const electronBinary = (): string | null => {
  try {
    const path = createRequire(import.meta.url)("electron") as unknown;
    return typeof path === "string" && existsSync(path) ? path : null;
  } catch {
    return null;
  }
};

if (!existsSync(join(rendererDir, "index.html"))) {
  console.error("The desktop app is not built: run `npm run desktop` from the repository root (it builds first).");
  process.exit(1);
}

const binary = electronBinary();
if (binary) {
  console.log(`Starting Electron against the API at ${config.apiUrl}`);
  const child = spawn(binary, [appDir], { stdio: "inherit", env: { ...process.env, ASKPROAI_API_URL: config.apiUrl } });
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  const port = Number(process.env.ASKPROAI_DESKTOP_PORT ?? 5174);
  const host = await startBrowserHost({ rendererDir, apiUrl: config.apiUrl, port });
  console.log(
    [
      "No Electron binary is installed here (Electron downloads it on install, which this machine cannot).",
      "Serving the same front-desk renderer to a browser instead, with a browser shim for the preload",
      "bridge (outbox and session kept in the browser's localStorage).",
      "",
      `  Open:  ${host.url}`,
      `  API:   ${config.apiUrl}  (ASKPROAI_API_URL)`,
      "",
      "Log in as desk@simple-salon.example / demo-pass-123 (after `npm start`). Ctrl-C stops.",
    ].join("\n"),
  );
  const stop = () => void host.close().then(() => process.exit(0));
  process.on("SIGINT", stop).on("SIGTERM", stop);
}
