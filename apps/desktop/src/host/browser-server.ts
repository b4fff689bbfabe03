/**
 * The browser fallback of `npm run desktop` (no Electron binary) and the end-to-end tests' host: a
 * plain HTTP server on 127.0.0.1 answering with handleDeskRequest, exactly what Electron's `app://`
 * protocol answers. Streams responses through, so server-sent events arrive as they are sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { handleDeskRequest, type DeskHostOptions } from "./desk-host.js";

export interface BrowserHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 512 * 1024;

const readBody = async (req: IncomingMessage): Promise<Buffer | undefined> => {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

const answer = async (req: IncomingMessage, res: ServerResponse, options: DeskHostOptions, origin: string) => {
  const aborted = new AbortController();
  res.on("close", () => aborted.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(", "));
  }
  let body: Buffer | undefined;
  try {
    body = await readBody(req);
  } catch {
    res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "request body too large" } }));
    return;
  }
  const request = new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
    signal: aborted.signal,
  });
  const response = await handleDeskRequest(request, options);
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (outHeaders[name] = value));
  res.writeHead(response.status, outHeaders);
  if (!response.body) {
    res.end();
    return;
  }
  res.flushHeaders();
  Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
    .on("error", () => res.destroy())
    .pipe(res);
};

export const startBrowserHost = async (options: DeskHostOptions & { port?: number; host?: string }): Promise<BrowserHost> => {
  const host = options.host ?? "127.0.0.1";
  let origin = "";
  const server = createServer((req, res) => {
    answer(req, res, options, origin).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
