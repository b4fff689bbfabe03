/**
 * What the desktop's browser tests run against: the real API on a scratch database (seeded with the
 * demo companies), a TCP gate in front of it, the built renderer served by the same host code as
 * `npm run desktop`, and a fresh headless Chromium.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startTestApi, type TestApi } from "@askproai/api/testing";
import { startBrowserHost, type BrowserHost } from "../../src/host/browser-server.js";
import { launchChromium, type Browser } from "./chromium.js";
import { startTcpGate, type TcpGate } from "./tcp-gate.js";

export const RENDERER_DIR = fileURLToPath(new URL("../../out/renderer", import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-results", import.meta.url));

export interface DeskEnvironment {
  api: TestApi;
  gate: TcpGate;
  host: BrowserHost;
  browser: Browser;
  close(): Promise<void>;
}

export const startDeskEnvironment = async (): Promise<DeskEnvironment> => {
  if (!existsSync(`${RENDERER_DIR}/index.html`)) {
    throw new Error(`The renderer is not built (${RENDERER_DIR}): run \`npm run build -w @askproai/desktop\` (npm test builds it first).`);
  }
  const browser = await launchChromium();
  const api = await startTestApi();
  const gate = await startTcpGate(Number(new URL(api.baseUrl).port));
  const host = await startBrowserHost({ rendererDir: RENDERER_DIR, apiUrl: `http://127.0.0.1:${gate.port}` });
  return {
    api,
    gate,
    host,
    browser,
    async close() {
      await browser.close();
      await host.close();
      await gate.close();
      await api.close();
    },
  };
};
