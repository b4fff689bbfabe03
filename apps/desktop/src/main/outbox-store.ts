/**
 * The durable outbox in main: one JSON file in the user's data folder, rewritten atomically (temp file,
 * fsync, rename) after every change, so an entry the renderer was told is stored survives a crash or a
 * restart. Writes are serialised. A file that cannot be read is kept aside, never overwritten.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import {
  applyOutboxUpdate,
  OUTBOX_LIMIT,
  parseStoredOutbox,
  type NewOutboxEntry,
  type OutboxEntry,
  type OutboxUpdate,
} from "../shared/outbox.js";

export interface OutboxStore {
  list(): Promise<OutboxEntry[]>;
  add(entry: NewOutboxEntry): Promise<OutboxEntry>;
  update(update: OutboxUpdate): Promise<OutboxEntry>;
  remove(id: string): Promise<void>;
}

const writeAtomically = async (file: string, content: string) => {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
};

export const createOutboxStore = (file: string, log: (message: string) => void = () => {}): OutboxStore => {
  let entries: OutboxEntry[] | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<OutboxEntry[]> => {
    if (entries) return entries;
    let raw: unknown = [];
    try {
      raw = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        const aside = `${file}.unreadable-${Date.now()}`;
        await rename(file, aside).catch(() => undefined);
        log(`outbox file could not be read; kept as ${aside}`);
      }
    }
    const parsed = parseStoredOutbox(raw);
    if (parsed.unreadable.length) {
      await writeAtomically(`${file}.unreadable-${Date.now()}.json`, JSON.stringify(parsed.unreadable));
      log(`${parsed.unreadable.length} outbox entries did not parse; kept beside the outbox`);
    }
    entries = parsed.entries;
    return entries;
  };

  /** Runs one change after the previous one finished, then persists the result. */
  const change = <T>(apply: (current: OutboxEntry[]) => { next: OutboxEntry[]; result: T }): Promise<T> => {
    const run = queue.then(async () => {
      const { next, result } = apply(await load());
      await writeAtomically(file, JSON.stringify(next));
      entries = next;
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    list: async () => {
      await queue;
      return [...(await load())];
    },
    add: (entry) =>
      change((current) => {
        const existing = current.find((e) => e.id === entry.id);
        if (existing) return { next: current, result: existing };
        if (current.length >= OUTBOX_LIMIT) throw new Error(`the outbox holds ${OUTBOX_LIMIT} changes already`);
        const stored: OutboxEntry = { ...entry, state: "pending", attempts: 0, problem: null };
        return { next: [...current, stored], result: stored };
      }),
    update: (update) =>
      change((current) => {
        if (!current.some((e) => e.id === update.id)) throw new Error("no such outbox entry");
        const next = applyOutboxUpdate(current, update);
        return { next, result: next.find((e) => e.id === update.id)! };
      }),
    remove: (id) => change((current) => ({ next: current.filter((e) => e.id !== id), result: undefined })),
  };
};
