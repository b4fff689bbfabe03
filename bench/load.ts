/**
 * A small closed-loop load generator on node:http with keep-alive sockets. Every request is timed from
 * the moment it is handed to the socket pool until its whole body has arrived; the same client is used
 * for the API and for the floor, so whatever the client itself costs is in both figures alike.
 */
import http from "node:http";

export interface BenchRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  /** JSON text for POST. */
  body?: string;
}

export interface Sample {
  /** Latency in milliseconds. */
  ms: number;
  /** HTTP status; 0 when the request failed below HTTP (connection refused, reset, timeout). */
  status: number;
  bytes: number;
  /** The response body, kept when asked for or when the status is not 2xx. */
  body?: string;
  error?: string;
}

export interface LoadResult {
  samples: Sample[];
  elapsedMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

export class Client {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "fifo" });
  }

  send(req: BenchRequest, keepBody = false): Promise<Sample> {
    return new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
      const headers: Record<string, string | number> = { accept: "application/json", ...req.headers };
      if (req.body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(req.body);
      }
      const request = http.request(
        { host: this.host, port: this.port, method: req.method, path: req.path, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const ms = elapsed();
            const status = res.statusCode ?? 0;
            const buffer = Buffer.concat(chunks);
            const keep = keepBody || status < 200 || status >= 300;
            resolve({ ms, status, bytes: buffer.length, ...(keep ? { body: buffer.toString("utf8") } : {}) });
          });
          res.on("error", (error) => resolve({ ms: elapsed(), status: 0, bytes: 0, error: error.message }));
        },
      );
      request.on("timeout", () => request.destroy(new Error(`timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      request.on("error", (error) => resolve({ ms: elapsed(), status: 0, bytes: 0, error: error.message }));
      request.end(req.body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/**
 * Closed loop: `concurrency` workers each send the next request as soon as their previous one is
 * answered, until `count` requests were sent or `maxMs` has passed (whichever first).
 */
export const runLoad = async (
  client: Client,
  { count, concurrency, maxMs, make, keepBody = false }: { count: number; concurrency: number; maxMs?: number; make: (i: number) => BenchRequest; keepBody?: boolean },
): Promise<LoadResult> => {
  const samples: Sample[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const worker = async () => {
    for (;;) {
      if (next >= count || (maxMs !== undefined && elapsedMs() >= maxMs)) return;
      const i = next++;
      samples.push(await client.send(make(i), keepBody));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { samples, elapsedMs: elapsedMs() };
};

/** Fires `n` requests in the same tick (open loop) and waits for every answer. */
export const burst = async (client: Client, n: number, make: (i: number) => BenchRequest, keepBody = true): Promise<LoadResult> => {
  const started = process.hrtime.bigint();
  const samples = await Promise.all(Array.from({ length: n }, (_, i) => client.send(make(i), keepBody)));
  return { samples, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 };
};

/** Opens `n` keep-alive sockets up front so a burst measures requests, not TCP handshakes. */
export const prewarmSockets = async (client: Client, n: number, path: string) => {
  const { samples } = await burst(client, n, () => ({ method: "GET", path }), false);
  const bad = samples.filter((s) => s.status !== 200);
  if (bad.length) throw new Error(`socket pre-warm of ${path} failed: ${bad[0]!.status} ${bad[0]!.error ?? bad[0]!.body ?? ""}`);
};

export interface LatencyStats {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles in milliseconds. */
export const latencyStats = (samples: readonly Sample[]): LatencyStats => {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.max(0, Math.ceil((p / 100) * ms.length) - 1))]! : Number.NaN);
  return {
    count: ms.length,
    min: ms[0] ?? Number.NaN,
    mean: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : Number.NaN,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: ms[ms.length - 1] ?? Number.NaN,
  };
};

/** "200×1998, 409×2" */
export const statusHistogram = (samples: readonly Sample[]) => {
  const counts = new Map<number, number>();
  for (const s of samples) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v]));
};
