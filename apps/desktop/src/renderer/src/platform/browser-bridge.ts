/**
 * The preload bridge for a plain browser (`npm run desktop` without Electron, and the end-to-end
 * tests): the same `DeskBridge` contract, with the outbox and the session in localStorage. Entries
 * are parsed with the same schemas as in main, so what one store accepts the other accepts too.
 */
import { storedSession, type DeskBridge, type StoredSession } from "../../../shared/bridge";
import { applyOutboxUpdate, OUTBOX_LIMIT, outboxUpdate, newOutboxEntry, parseStoredOutbox, type OutboxEntry } from "../../../shared/outbox";

const OUTBOX_KEY = "askproai.outbox.v1";
const SESSION_KEY = "askproai.session.v1";

const readOutbox = (storage: Storage): OutboxEntry[] => {
  let raw: unknown = [];
  try {
    raw = JSON.parse(storage.getItem(OUTBOX_KEY) ?? "[]");
  } catch {
    raw = [];
  }
  const { entries, unreadable } = parseStoredOutbox(raw);
  if (unreadable.length) storage.setItem(`${OUTBOX_KEY}.unreadable.${Date.now()}`, JSON.stringify(unreadable));
  return entries;
};

export const createBrowserBridge = (storage: Storage = localStorage): DeskBridge => {
  const write = (entries: OutboxEntry[]) => storage.setItem(OUTBOX_KEY, JSON.stringify(entries));
  return {
    platform: "browser",
    outbox: {
      list: async () => readOutbox(storage),
      add: async (input) => {
        const entry = newOutboxEntry.parse(input);
        const current = readOutbox(storage);
        const existing = current.find((e) => e.id === entry.id);
        if (existing) return existing;
        if (current.length >= OUTBOX_LIMIT) throw new Error(`the outbox holds ${OUTBOX_LIMIT} changes already`);
        const stored: OutboxEntry = { ...entry, state: "pending", attempts: 0, problem: null };
        write([...current, stored]);
        return stored;
      },
      update: async (input) => {
        const update = outboxUpdate.parse(input);
        const next = applyOutboxUpdate(readOutbox(storage), update);
        const entry = next.find((e) => e.id === update.id);
        if (!entry) throw new Error("no such outbox entry");
        write(next);
        return entry;
      },
      remove: async (id) => write(readOutbox(storage).filter((e) => e.id !== id)),
    },
    session: {
      get: async (): Promise<StoredSession | null> => {
        try {
          const parsed = storedSession.safeParse(JSON.parse(storage.getItem(SESSION_KEY) ?? "null"));
          return parsed.success ? parsed.data : null;
        } catch {
          return null;
        }
      },
      set: async (session) => storage.setItem(SESSION_KEY, JSON.stringify(storedSession.parse(session))),
      clear: async () => storage.removeItem(SESSION_KEY),
    },
  };
};
