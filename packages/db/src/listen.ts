/**
 * A PostgreSQL LISTEN on a connection of its own (a pooled one would be handed to other queries and
 * lose it), replaced when lost: one second after an established connection goes, five after a
 * connection attempt fails. The outbox relay, live changes and the session cache each listen through it.
 */
import pg from "pg";

export interface Listening {
  /** True while the connection is up and LISTENing. */
  readonly up: boolean;
  /** Settles once the first attempt has connected or failed (a failed one is retried meanwhile). */
  readonly ready: Promise<void>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

export interface ListenHandlers {
  onNotify: () => void;
  /** The connection is up and LISTENing; `again` after a loss or a failed attempt (something may have been missed). */
  onUp?: (again: boolean) => void;
  /** An established connection was lost (`wasUp`), or an attempt to connect failed. */
  onDown?: (error: Error, wasUp: boolean) => void;
}

const RETRY_AFTER_LOSS_MS = 1_000;
const RETRY_AFTER_FAILURE_MS = 5_000;

export const listenOn = (url: string | undefined, channel: string, handlers: ListenHandlers): Listening => {
  let client: pg.Client | null = null;
  let stopped = false;
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const again = attempts++ > 0;
    const c = new pg.Client({ connectionString: url });
    let gone = false;
    const lost = (error: Error) => {
      if (gone) return; // "error" and "end" both report one loss
      gone = true;
      const wasUp = client === c;
      if (wasUp) client = null;
      void c.end().catch(() => undefined);
      if (stopped) return;
      handlers.onDown?.(error, wasUp);
      timer = setTimeout(() => void connect(), wasUp ? RETRY_AFTER_LOSS_MS : RETRY_AFTER_FAILURE_MS);
      timer.unref();
    };
    c.on("notification", () => handlers.onNotify());
    c.on("error", lost);
    c.on("end", () => lost(new Error("LISTEN connection closed")));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (stopped) {
      gone = true;
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    handlers.onUp?.(again);
  };

  const ready = connect();
  return {
    get up() {
      return client !== null;
    },
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
};
