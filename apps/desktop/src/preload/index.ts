/**
 * The preload bridge (sandboxed, so CommonJS and nothing but `electron`): `window.desk`, one named
 * function per capability, each invoking its own IPC channel. No raw ipcRenderer, no generic send.
 */
import { contextBridge, ipcRenderer } from "electron";
import type { DeskBridge, IpcChannel } from "../shared/bridge.js";

const invoke = <T>(channel: IpcChannel, payload?: unknown): Promise<T> => ipcRenderer.invoke(channel, payload) as Promise<T>;

const desk: DeskBridge = {
  platform: "electron",
  outbox: {
    list: () => invoke("outbox:list"),
    add: (entry) => invoke("outbox:add", entry),
    update: (update) => invoke("outbox:update", update),
    remove: (id) => invoke("outbox:remove", { id }),
  },
  session: {
    get: () => invoke("session:get"),
    set: (session) => invoke("session:set", session),
    clear: () => invoke("session:clear"),
  },
};

contextBridge.exposeInMainWorld("desk", desk);
