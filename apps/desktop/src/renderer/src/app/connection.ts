/**
 * Whether the API can be reached, as the desk sees it. Every request reports its outcome (a fetch
 * that fails or a 502 from the host means down; any answer from the API means up), and while down a
 * probe of `/healthz` runs every few seconds so the desk notices the moment it is back.
 */
export type Connection = "online" | "offline";

const PROBE_OFFLINE_MS = 2_000;
const PROBE_ONLINE_MS = 30_000;

export class ConnectionMonitor {
  private state: Connection = "online";
  private listeners = new Set<(state: Connection) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly probeUrl: string, private readonly rawFetch: typeof fetch = (i, init) => globalThis.fetch(i, init)) {}

  get current() {
    return this.state;
  }

  subscribe(listener: (state: Connection) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private set(next: Connection) {
    if (next !== this.state) {
      this.state = next;
      for (const listener of this.listeners) listener(next);
    }
    this.schedule();
  }

  reportReachable() {
    this.set("online");
  }

  reportUnreachable() {
    this.set("offline");
  }

  /** A fetch that reports every outcome; used by the API client (queries, mutations and SSE). */
  readonly fetch: typeof fetch = async (input, init) => {
    try {
      const response = await this.rawFetch(input, init);
      if (response.status === 502 || response.status === 504) this.reportUnreachable();
      else this.reportReachable();
      return response;
    } catch (error) {
      if (!(init?.signal?.aborted ?? false)) this.reportUnreachable();
      throw error;
    }
  };

  async probe(): Promise<Connection> {
    try {
      const response = await this.rawFetch(this.probeUrl, { cache: "no-store" });
      this.set(response.ok ? "online" : "offline");
    } catch {
      this.set("offline");
    }
    return this.state;
  }

  private schedule() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.probe(), this.state === "offline" ? PROBE_OFFLINE_MS : PROBE_ONLINE_MS);
  }

  start() {
    void this.probe();
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
