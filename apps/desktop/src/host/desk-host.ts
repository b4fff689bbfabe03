/**
 * What serves the renderer, in web-standard Request → Response form, so the same code answers Electron's
 * `app://desk/` protocol and the browser fallback of `npm run desktop` (and the end-to-end tests):
 * - the built renderer's files, confined to its folder, with the CSP and security headers;
 * - `/trpc/*` and `/healthz` forwarded to the API, so the renderer talks only to its own origin
 *   (`connect-src 'self'`, no CORS on the API) and the token never leaves in a URL.
 * An API that cannot be reached answers 502 without a tRPC body, which the client reads as "unreachable".
 */
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { SECURITY_HEADERS } from "./csp.js";

export interface DeskHostOptions {
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** The API's base URL (`ASKPROAI_API_URL`). */
  apiUrl: string;
  /** How to reach the API (Electron passes `net.fetch`). */
  fetch?: typeof globalThis.fetch;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".map": "application/json",
};

/** Request headers the API needs; everything else (cookies, origin quirks) stays behind. */
const FORWARDED_REQUEST_HEADERS = ["authorization", "content-type", "accept", "last-event-id", "x-askproai-client", "x-correlation-id", "cache-control"];
const FORWARDED_RESPONSE_HEADERS = ["content-type", "x-correlation-id", "retry-after", "cache-control"];

export const isApiPath = (pathname: string) => pathname.startsWith("/trpc/") || pathname === "/healthz";

const plain = (status: number, message: string) =>
  new Response(JSON.stringify({ error: { message } }), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });

/**
 * The file under `rendererDir` a path names, or null when it would leave the folder. Paths are
 * decoded once and resolved, then compared by prefix on whole path segments (not a string prefix).
 */
export const confinedPath = (rendererDir: string, pathname: string): string | null => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${decoded === "/" ? "/index.html" : decoded}`);
  return file === root || file.startsWith(root + sep) ? file : null;
};

const forwardToApi = async (request: Request, url: URL, options: DeskHostOptions): Promise<Response> => {
  const target = new URL(url.pathname + url.search, options.apiUrl);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let upstream: Response;
  try {
    upstream = await (options.fetch ?? globalThis.fetch)(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
      redirect: "manual",
    });
  } catch {
    return plain(502, "the AskProAI API cannot be reached");
  }
  const responseHeaders = new Headers({ "cache-control": "no-store" });
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
};

const serveFile = async (request: Request, url: URL, options: DeskHostOptions): Promise<Response> => {
  if (request.method !== "GET" && request.method !== "HEAD") return plain(405, "method not allowed");
  const file = confinedPath(options.rendererDir, url.pathname);
  if (!file) return plain(404, "not found");
  // The app has one page; a path without a file extension is a view of it.
  const path = extname(file) ? file : resolve(options.rendererDir, "index.html");
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return plain(404, "not found");
  }
  const type = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
  const cache = path.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable";
  return new Response(request.method === "HEAD" ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...SECURITY_HEADERS, "content-type": type, "cache-control": cache },
  });
};

export const handleDeskRequest = async (request: Request, options: DeskHostOptions): Promise<Response> => {
  const url = new URL(request.url);
  return isApiPath(url.pathname) ? forwardToApi(request, url, options) : serveFile(request, url, options);
};
