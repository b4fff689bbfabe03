/**
 * IPC handlers: one per capability of the preload bridge. Each checks that the message comes from the
 * app's own page (the sending frame's URL, parsed) and validates its payload with the channel's zod
 * schema before anything runs; a bad message is refused with an error naming the channel and field.
 */
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { IPC, type IpcChannel } from "../shared/bridge.js";
import type { OutboxStore } from "./outbox-store.js";
import { isAppUrl } from "./security.js";
import type { SessionStore } from "./session-store.js";

export interface IpcDeps {
  outbox: OutboxStore;
  session: SessionStore;
}

type Handlers = { [C in IpcChannel]: (payload: NonNullable<unknown> | undefined) => Promise<unknown> };

export class IpcRefused extends Error {
  override readonly name = "IpcRefused";
}

const describe = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "payload"}: ${i.message}`).join("; ");

/** The handler of each channel, taking the already validated payload. */
const handlers = (deps: IpcDeps) =>
  ({
    "outbox:list": () => deps.outbox.list(),
    "outbox:add": (p) => deps.outbox.add(IPC["outbox:add"].parse(p)),
    "outbox:update": (p) => deps.outbox.update(IPC["outbox:update"].parse(p)),
    "outbox:remove": (p) => deps.outbox.remove(IPC["outbox:remove"].parse(p).id),
    "session:get": () => deps.session.get(),
    "session:set": (p) => deps.session.set(IPC["session:set"].parse(p)),
    "session:clear": () => deps.session.clear(),
  }) satisfies Handlers;

/** Validates sender and payload of one message; throws IpcRefused when either is wrong. */
export const checkMessage = (channel: IpcChannel, event: Pick<IpcMainInvokeEvent, "senderFrame">, payload: unknown) => {
  const frameUrl = event.senderFrame?.url;
  if (!frameUrl || !isAppUrl(frameUrl)) throw new IpcRefused(`${channel}: refused a message from outside the app`);
  const parsed = IPC[channel].safeParse(payload);
  if (!parsed.success) throw new IpcRefused(`${channel}: invalid payload (${describe(parsed.error.issues)})`);
  return parsed.data;
};

export const registerIpcHandlers = (ipcMain: Pick<IpcMain, "handle">, deps: IpcDeps) => {
  const table = handlers(deps);
  for (const channel of Object.keys(IPC) as IpcChannel[]) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const valid = checkMessage(channel, event, payload);
      return table[channel](valid ?? undefined);
    });
  }
};
