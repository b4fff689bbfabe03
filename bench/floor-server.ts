/**
 * The floor: a bare Express 5 server with no database, no auth and no logging. What the bench measures
 * against it is the cost of HTTP + Express + JSON on this machine with this load generator, so the
 * API's figures can be read as "floor + our work".
 *
 *   GET  /floor/small               → a tiny JSON object
 *   GET  /floor/same-size?bytes=N   → a precomputed JSON body of exactly N bytes
 *   POST /floor/echo                → parses the JSON body, answers a small JSON object
 *
 * Listens on 127.0.0.1:$PORT and prints one line `{"port":N}` once it accepts connections.
 */
import express from "express";

const sameSize = new Map<number, string>();
const MAX_BYTES = 8 * 1024 * 1024;

/** `{"pad":"xxx…"}` padded to exactly `bytes` bytes (at least the 11 bytes of the empty form). */
const bodyOf = (bytes: number) => {
  let body = sameSize.get(bytes);
  if (body === undefined) {
    const overhead = '{"pad":""}'.length;
    body = `{"pad":"${"x".repeat(Math.max(0, bytes - overhead))}"}`;
    sameSize.set(bytes, body);
  }
  return body;
};

const app = express();
app.disable("x-powered-by");
app.disable("etag");

app.get("/floor/small", (_req, res) => {
  res.json({ ok: true });
});

app.get("/floor/same-size", (req, res) => {
  const bytes = Number(req.query.bytes ?? 0);
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_BYTES) {
    res.status(400).json({ error: "bytes must be an integer 0..8 MiB" });
    return;
  }
  res.type("application/json").send(bodyOf(bytes));
});

app.post("/floor/echo", express.json({ limit: "256kb" }), (req, res) => {
  const body = req.body as Record<string, unknown> | undefined;
  res.json({ ok: true, keys: body && typeof body === "object" ? Object.keys(body).length : 0 });
});

app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});

const server = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(JSON.stringify({ port }));
});
server.keepAliveTimeout = 65_000;

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
