/**
 * Fans numbered changes out to this process's live subscribers. Wakes on PostgreSQL NOTIFY (sent at
 * the commit of a change) and, while anyone listens, on a 1 s timer as well (a missed notification,
 * or a change numbered by another process's sequencer, is then picked up within a second). Any
 * number of processes may run a hub: the advisory lock in `sequenceChanges` keeps numbering serial.
 */
import { poolOf, type Db } from "../client.js";
import { listenOn, type Listening } from "../listen.js";
import { CHANGE_CHANNEL, SEQUENCE_BATCH, changesAfter, latestSeq, sequenceChanges, type ChangeEventOut } from "./changes.js";

type Listener = (event: ChangeEventOut) => void;

export class ChangeHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private lastSeq: number | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private listening: Listening | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started: Promise<void> | null = null;
  private stopped = false;
  private markClosed!: () => void;
  /** Resolves when the hub stops (the process drains): subscriptions end so their responses can finish. */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(
    private readonly db: Db,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly pollMs = 1_000,
  ) {}

  get isStopped() {
    return this.stopped;
  }

  /** Listens for changes of one company; returns the unsubscribe function. Starts the hub on first use. */
  async subscribe(companyId: string, listener: Listener): Promise<() => void> {
    await (this.started ??= this.start());
    let set = this.listeners.get(companyId);
    if (!set) this.listeners.set(companyId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(companyId);
    };
  }

  /** Sequences and delivers now (also called after this process commits a change, to save the wait). */
  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        try {
          await sequenceChanges(this.db);
          if (this.lastSeq === null) this.lastSeq = await latestSeq(poolOf(this.db));
          for (;;) {
            const batch = await changesAfter(poolOf(this.db), this.lastSeq);
            for (const { companyId, event } of batch) {
              this.lastSeq = Math.max(this.lastSeq, event.seq);
              for (const listener of this.listeners.get(companyId) ?? []) listener(event);
            }
            if (batch.length < 1000) break;
          }
        } catch (error) {
          this.onError(error);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  /**
   * The seq of the newest change committed so far: changes still waiting for their number are numbered
   * first, so a subscriber starting "from now" is not handed the backlog that piled up while nobody
   * listened (a fresh process numbers changes only once someone subscribes).
   */
  async now(): Promise<number> {
    while ((await sequenceChanges(this.db)) >= SEQUENCE_BATCH);
    return latestSeq(poolOf(this.db));
  }

  private async start() {
    this.lastSeq = await this.now();
    await this.listen();
    this.timer = setInterval(() => {
      if (this.listeners.size > 0) void this.pump();
    }, this.pollMs);
    this.timer.unref();
  }

  private listen() {
    // A lost LISTEN connection is replaced; the timer covers the gap.
    this.listening = listenOn(poolOf(this.db).options.connectionString, CHANGE_CHANNEL, {
      onNotify: () => void this.pump(),
      onDown: (error, wasUp) => {
        if (!wasUp) this.onError(error);
      },
    });
    return this.listening.ready;
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.markClosed();
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
    await this.pumping;
    await this.listening?.stop();
  }
}
