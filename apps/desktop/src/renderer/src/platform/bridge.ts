import type { DeskBridge } from "../../../shared/bridge";
import { createBrowserBridge } from "./browser-bridge";

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    desk?: DeskBridge;
  }
}

/** The host's bridge: Electron's preload when there is one, else the browser shim. */
export const resolveBridge = (): DeskBridge => window.desk ?? createBrowserBridge();
