/**
 * The outbox replay. Every change staff make is written to the durable outbox first (with its
 * idempotency key), then sent; so nothing typed is lost when the API is unreachable or the app stops.
 * Entries are sent one at a time in the order they were made. Each either confirms (and leaves the
 * outbox) or, when the server refuses it, stays as a conflict with the server's reason and
 * alternatives until someone resolves it. An unreachable API stops the replay; it resumes when the
 * connection is back. A change made with the panel open (`interactive`) is answered to that panel
 * instead of going to the conflict tray. Framework-free: the React layer subscribes.
 */
import type { DeskBridge } from "../../../../shared/bridge";
import type { NewOutboxEntry, OutboxEntry, OutboxOperation, OutboxProblem } from "../../../../shared/outbox";

export type SendOutcome =
  | { status: "sent"; entry: OutboxEntry; result: unknown }
  | { status: "queued"; entry: OutboxEntry }
  | { status: "rejected"; entry: OutboxEntry; problem: OutboxProblem; error: unknown };

export interface OutboxSyncDeps {
  store: DeskBridge["outbox"];
  send(operation: OutboxOperation): Promise<unknown>;
  isUnreachable(error: unknown): boolean;
  /** Errors after which the change waits unchanged (e.g. the session expired: it is sent after the next login). */
  mustWait?(error: unknown): boolean;
  describe(error: unknown): OutboxProblem;
  /** After a crash mid-send a repeated move is refused as stale; true when the server already shows it done. */
  alreadyApplied(operation: OutboxOperation, error: unknown): Promise<boolean>;
  /** The API is reachable and someone is signed in. */
  canSend(): boolean;
  onSent?(entry: OutboxEntry, result: unknown): void;
  onUnreachable?(): void;
}

export class OutboxSync {
  private entries: OutboxEntry[] = [];
  private listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private waiting = new Map<string, (outcome: SendOutcome) => void>();

  constructor(private readonly deps: OutboxSyncDeps) {}

  /** The entries as they stand (a new array after every change, for useSyncExternalStore). */
  snapshot = () => this.entries;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private publish(entries: OutboxEntry[]) {
    this.entries = entries;
    for (const listener of this.listeners) listener();
  }

  private replace(entry: OutboxEntry) {
    this.publish(this.entries.map((e) => (e.id === entry.id ? entry : e)));
  }

  async load() {
    this.publish(await this.deps.store.list());
  }

  /** Stores the change durably, then sends it (after any earlier ones) when the API is reachable. */
  async enqueue(input: NewOutboxEntry, options: { interactive?: boolean } = {}): Promise<SendOutcome> {
    const entry = await this.deps.store.add(input);
    this.publish([...this.entries.filter((e) => e.id !== entry.id), entry]);
    if (!this.deps.canSend()) return { status: "queued", entry };
    const outcome = options.interactive ? new Promise<SendOutcome>((resolve) => this.waiting.set(entry.id, resolve)) : null;
    void this.flush();
    return outcome ?? { status: "queued", entry };
  }

  /** Sends pending entries in order until none is left or the API cannot be reached. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again && this.deps.canSend());
      } finally {
        this.running = null;
        // Anyone still waiting is answered "queued": their change is safe in the outbox.
        for (const [id, resolve] of this.waiting) {
          const entry = this.entries.find((e) => e.id === id);
          if (entry && entry.state === "pending") {
            this.waiting.delete(id);
            resolve({ status: "queued", entry });
          }
        }
      }
    })();
    return this.running;
  }

  private async drain() {
    for (;;) {
      if (!this.deps.canSend()) return;
      const next = this.entries.find((e) => e.state === "pending");
      if (!next) return;
      const sending = await this.deps.store.update({ id: next.id, state: "sending", attempts: next.attempts + 1, problem: next.problem });
      this.replace(sending);
      try {
        const result = await this.deps.send(sending.operation);
        await this.confirm(sending, result);
      } catch (error) {
        const unreachable = this.deps.isUnreachable(error);
        if (unreachable || this.deps.mustWait?.(error)) {
          this.replace(await this.deps.store.update({ id: sending.id, state: "pending", attempts: sending.attempts, problem: null }));
          if (unreachable) this.deps.onUnreachable?.();
          return;
        }
        if (await this.deps.alreadyApplied(sending.operation, error).catch(() => false)) {
          await this.confirm(sending, null);
          continue;
        }
        const problem = this.deps.describe(error);
        const waiter = this.waiting.get(sending.id);
        if (waiter) {
          // The person who made the change is looking at the panel: they get the answer there.
          this.waiting.delete(sending.id);
          await this.deps.store.remove(sending.id);
          this.publish(this.entries.filter((e) => e.id !== sending.id));
          waiter({ status: "rejected", entry: sending, problem, error });
        } else {
          this.replace(await this.deps.store.update({ id: sending.id, state: "conflict", attempts: sending.attempts, problem }));
        }
      }
    }
  }

  private async confirm(entry: OutboxEntry, result: unknown) {
    await this.deps.store.remove(entry.id);
    this.publish(this.entries.filter((e) => e.id !== entry.id));
    this.deps.onSent?.(entry, result);
    const waiter = this.waiting.get(entry.id);
    this.waiting.delete(entry.id);
    waiter?.({ status: "sent", entry, result });
  }

  /** Drops a change for good (from the conflict tray, or a pending booking someone takes back). */
  async discard(id: string) {
    await this.deps.store.remove(id);
    this.publish(this.entries.filter((e) => e.id !== id));
  }

  /** Records a newer refusal on a change in the conflict tray (an alternative that was taken meanwhile too). */
  async markConflict(id: string, problem: OutboxProblem) {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    this.replace(await this.deps.store.update({ id, state: "conflict", attempts: entry.attempts, problem }));
  }

  /** Puts a conflicted change back in line, e.g. after the slot was freed. */
  async retry(id: string) {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    this.replace(await this.deps.store.update({ id, state: "pending", attempts: entry.attempts, problem: null }));
    if (this.deps.canSend()) await this.flush();
  }
}
