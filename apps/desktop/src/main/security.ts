/**
 * Window and session hardening (Electron's security checklist): the renderer runs sandboxed with
 * context isolation and no Node; it may not navigate, open windows, attach webviews or get any
 * permission; every response carries the strict CSP.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from "electron";
import { CONTENT_SECURITY_POLICY } from "../host/csp.js";

/** The renderer's origin: a privileged custom scheme served by the app itself (see protocol.ts). */
export const APP_SCHEME = "app";
export const APP_ORIGIN = `${APP_SCHEME}://desk`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** True only for URLs of the app's own origin, parsed (a string prefix test can be fooled). */
export const isAppUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === "desk" && parsed.username === "" && parsed.password === "";
  } catch {
    return false;
  }
};

export const windowOptions = (preloadPath: string): BrowserWindowConstructorOptions => ({
  width: 1440,
  height: 900,
  minWidth: 960,
  minHeight: 600,
  show: false,
  title: "AskProAI Desk",
  backgroundColor: "#f6f7f9",
  webPreferences: {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  },
});

/** No navigation away from the app, no new windows, no webviews: the desk app has one page. */
export const lockDownContents = (contents: WebContents) => {
  contents.on("will-navigate", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
};

/** Denies every permission (camera, notifications, …) and adds the CSP header to every response. */
export const lockDownSession = (session: Session) => {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });
};
