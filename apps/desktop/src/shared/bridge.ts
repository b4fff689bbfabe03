/**
 * The narrow API the renderer gets from its host: the Electron preload (`window.desk`) or, in a plain
 * browser, the shim in renderer/src/platform. One named function per capability, nothing generic.
 * IPC channel names and their payload schemas live here so main validates exactly what preload sends.
 */
import { sessionUserSchema } from "@askproai/shared";
import { z } from "zod";
import { newOutboxEntry, outboxId, outboxUpdate, type NewOutboxEntry, type OutboxEntry, type OutboxUpdate } from "./outbox.js";

export const storedSession = z.object({
  token: z.string().min(10).max(500),
  user: sessionUserSchema,
  expiresAt: z.string().max(40).optional(),
});
export type StoredSession = z.infer<typeof storedSession>;

export interface DeskBridge {
  /** "electron" inside the app, "browser" when the renderer is served to a browser. */
  readonly platform: "electron" | "browser";
  readonly outbox: {
    list(): Promise<OutboxEntry[]>;
    add(entry: NewOutboxEntry): Promise<OutboxEntry>;
    update(update: OutboxUpdate): Promise<OutboxEntry>;
    remove(id: string): Promise<void>;
  };
  readonly session: {
    get(): Promise<StoredSession | null>;
    set(session: StoredSession): Promise<void>;
    clear(): Promise<void>;
  };
}

/** Every IPC channel with the schema of its one argument (`null` schema: no argument). */
export const IPC = {
  "outbox:list": z.undefined(),
  "outbox:add": newOutboxEntry,
  "outbox:update": outboxUpdate,
  "outbox:remove": outboxId,
  "session:get": z.undefined(),
  "session:set": storedSession,
  "session:clear": z.undefined(),
} as const;
export type IpcChannel = keyof typeof IPC;
export const IPC_CHANNELS = Object.keys(IPC) as IpcChannel[];
