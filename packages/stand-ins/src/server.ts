/**
 * What every HTTP stand-in shares: raw body capture (so signatures and bad JSON behave as on the wire),
 * a log of every request received, failure injection, the `/__standin` control routes for both, and a
 * listener on 127.0.0.1 with an ephemeral port by default.
 */
import { once } from "node:events";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";
import { type ActiveFault, FaultPlan, type FaultSpec } from "./faults.js";

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; the raw text is in `rawBody`. */
  body: unknown;
  rawBody: string;
  /** The injected fault that answered (or did not answer) this request. */
  fault?: FaultSpec["kind"];
}

export interface ListenOptions {
  port?: number;
  host?: string;
}

export interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
/** Enough for any test or demo session; older entries are dropped so `npm start` cannot grow forever. */
export const MAX_KEPT = 10_000;

const rawBodies = new WeakMap<Request, string>();
const bodyErrors = new WeakMap<Request, string>();

export const rawBodyOf = (req: Request): string => rawBodies.get(req) ?? "";
/** Why the body could not be parsed (bad JSON), if it could not. */
export const bodyErrorOf = (req: Request): string | undefined => bodyErrors.get(req);

export const pushBounded = <T>(list: T[], item: T): void => {
  list.push(item);
  if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
};

export interface StandInAppOptions {
  /** The service's own error body for an injected or generic failure. */
  errorBody(status: number, message: string, req: Request): unknown;
  /** Extra control routes, mounted under `/__standin` before the request log and faults. */
  control?(router: Router): void;
  /** Clears the stand-in's own state (the request log and faults are cleared by the base). */
  reset?(): void;
  /** Pages for humans (e.g. `/`), served before the request log and faults so a fault never hides them. */
  pages?(app: Express): void;
}

export interface StandInApp {
  app: Express;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Registers a timer that `close()` cancels, so a slow or hanging fault never outlives the server. */
  later(ms: number, fn: () => void): void;
  cancelTimers(): void;
}

const readBody = (req: Request, _res: Response, next: NextFunction): void => {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    const raw = Buffer.concat(chunks).toString("utf8");
    rawBodies.set(req, raw);
    const type = String(req.headers["content-type"] ?? "");
    req.body = undefined;
    if (size > MAX_BODY_BYTES) bodyErrors.set(req, "request body too large");
    else if (raw.length > 0 && type.includes("application/x-www-form-urlencoded")) {
      req.body = Object.fromEntries(new URLSearchParams(raw));
    } else if (raw.length > 0) {
      try {
        req.body = JSON.parse(raw);
      } catch (error) {
        bodyErrors.set(req, `request body is not valid JSON: ${(error as Error).message}`);
      }
    }
    next();
  });
  req.on("error", next);
};

export const controlInput = <T extends z.ZodType>(schema: T, value: unknown): z.infer<T> => {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ControlInputError(z.prettifyError(parsed.error));
  return parsed.data;
};

export class ControlInputError extends Error {}

export const createStandInApp = (options: StandInAppOptions): StandInApp => {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  app.use(readBody);

  const control = express.Router();
  control.get("/requests", (req, res) => {
    const { method, path } = req.query;
    res.json(requests.filter((r) => (!method || r.method === String(method).toUpperCase()) && (!path || r.path.startsWith(String(path)))));
  });
  control.delete("/requests", (_req, res) => {
    requests.length = 0;
    res.status(204).end();
  });
  control.get("/faults", (_req, res) => res.json(faults.list()));
  control.post("/faults", (req, res) => res.status(201).json(faults.add(req.body as FaultSpec)));
  control.delete("/faults", (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  control.post("/reset", (_req, res) => {
    requests.length = 0;
    faults.clear();
    options.reset?.();
    res.status(204).end();
  });
  options.control?.(control);
  app.use("/__standin", control);
  options.pages?.(app);
  app.use("/__standin", (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof ControlInputError || error instanceof z.ZodError || error instanceof SyntaxError) {
      res.status(400).json({ error: error instanceof z.ZodError ? z.prettifyError(error) : error.message });
    } else next(error);
  });

  app.use((req, res, next) => {
    const entry: RecordedRequest = {
      at: new Date().toISOString(),
      method: req.method,
      path: req.path,
      query: { ...req.query },
      headers: { ...req.headers },
      body: req.body,
      rawBody: rawBodyOf(req),
    };
    pushBounded(requests, entry);
    const fault = faults.take(req.method, req.path);
    if (!fault) return next();
    entry.fault = fault.kind;
    applyFault(fault, req, res, next, options, later);
  });

  return {
    app,
    faults,
    requests,
    later,
    cancelTimers: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};

const applyFault = (
  fault: ActiveFault,
  req: Request,
  res: Response,
  next: NextFunction,
  options: StandInAppOptions,
  later: StandInApp["later"],
): void => {
  switch (fault.kind) {
    case "status": {
      const status = fault.status ?? 503;
      res.status(status).json(options.errorBody(status, fault.message ?? "injected failure", req));
      return;
    }
    case "rate-limit":
      res.set("Retry-After", String(fault.retryAfterSeconds ?? 1));
      res.status(429).json(options.errorBody(429, fault.message ?? "Too many requests", req));
      return;
    case "slow":
      later(fault.delayMs ?? 1000, next);
      return;
    case "drop":
      req.socket.destroy();
      return;
    case "store-then-timeout":
      // The handler runs to completion (the change is stored); its answer never leaves the process.
      res.end = (() => {
        later(fault.delayMs ?? 0, () => req.socket.destroy());
        return res;
      }) as Response["end"];
      next();
      return;
  }
};

/** Mounts the final 404 and error handlers: nothing a client sends may crash the stand-in. */
export const finishApp = (standIn: StandInApp, options: StandInAppOptions): void => {
  standIn.app.use((req: Request, res: Response) => {
    res.status(404).json(options.errorBody(404, `Cannot ${req.method} ${req.path}`, req));
  });
  standIn.app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    res.status(500).json(options.errorBody(500, (error as Error).message ?? "internal error", req));
  });
};

/** What every stand-in's handle starts with. */
export interface StandInHandle {
  url: string;
  close(): Promise<void>;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Forgets everything: the stand-in's data, the request log and the faults. */
  reset(): void;
}

/** Mounts the final handlers, listens, and answers the common part of the stand-in's handle. */
export const serve = async (standIn: StandInApp, options: StandInAppOptions, listenOptions: ListenOptions = {}): Promise<StandInHandle> => {
  finishApp(standIn, options);
  const listening = await listen(standIn, listenOptions);
  return {
    url: listening.url,
    close: listening.close,
    faults: standIn.faults,
    requests: standIn.requests,
    reset: () => {
      standIn.requests.length = 0;
      standIn.faults.clear();
      options.reset?.();
    },
  };
};

/** `GET` and `DELETE` of a kept list (messages, mails) under the control routes. */
export const listRoutes = (router: Router, name: string, list: unknown[]): void => {
  router.get(`/${name}`, (_req, res) => res.json(list));
  router.delete(`/${name}`, (_req, res) => {
    list.length = 0;
    res.status(204).end();
  });
};

export const listen = async (standIn: StandInApp, options: ListenOptions = {}): Promise<Listening> => {
  const host = options.host ?? "127.0.0.1";
  const server = standIn.app.listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    server,
    url,
    close: async () => {
      standIn.cancelTimers();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
