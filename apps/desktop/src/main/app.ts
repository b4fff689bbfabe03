/**
 * The main process: one hardened window showing the renderer from `app://desk/`, the IPC handlers of
 * the preload bridge, and the durable outbox and session in the user's data folder.
 */
import { join } from "node:path";
import type * as Electron from "electron";
import type { DesktopConfig } from "./config.js";
import { registerIpcHandlers } from "./ipc.js";
import { createOutboxStore } from "./outbox-store.js";
import { handleAppScheme, registerAppScheme } from "./protocol.js";
import { APP_ENTRY, lockDownContents, lockDownSession, windowOptions } from "./security.js";
import { createSessionStore } from "./session-store.js";

type ElectronModule = Pick<typeof Electron, "app" | "BrowserWindow" | "ipcMain" | "protocol" | "session" | "net" | "safeStorage">;

export interface DesktopPaths {
  /** Folder of the built main process (`out/main`): preload and renderer sit beside it. */
  mainDir: string;
}

export const createMainWindow = (electron: Pick<ElectronModule, "BrowserWindow">, paths: DesktopPaths) => {
  const window = new electron.BrowserWindow(windowOptions(join(paths.mainDir, "../preload/index.cjs")));
  lockDownContents(window.webContents);
  window.once("ready-to-show", () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
};

export const startDesktop = (electron: ElectronModule, config: DesktopConfig, paths: DesktopPaths) => {
  registerAppScheme(electron.protocol);
  const { app } = electron;
  // One desk app per user: a second start focuses the first window.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on("web-contents-created", (_event, contents) => lockDownContents(contents));
  return app.whenReady().then(() => {
    lockDownSession(electron.session.defaultSession);
    handleAppScheme(electron.protocol, electron.net, { rendererDir: join(paths.mainDir, "../renderer"), apiUrl: config.apiUrl });
    const userData = app.getPath("userData");
    registerIpcHandlers(electron.ipcMain, {
      outbox: createOutboxStore(join(userData, "outbox.json"), (message) => console.warn(message)),
      session: createSessionStore(join(userData, "session.bin"), electron.safeStorage),
    });
    let window = createMainWindow(electron, paths);
    app.on("second-instance", () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    app.on("activate", () => {
      if (electron.BrowserWindow.getAllWindows().length === 0) window = createMainWindow(electron, paths);
    });
    app.on("window-all-closed", () => app.quit());
  });
};
