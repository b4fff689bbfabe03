/**
 * A real API for tests: scratch database (migrations only) with the demo data, real Redis under a
 * key prefix of its own, real HTTP on an ephemeral port. No part of our stack is mocked.
 */
import { createServer, type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { seedDemoData } from "@askproai/db/seed";
import { afterAll, beforeAll } from "vitest";
import { clearRedisPrefix, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { createLogger, loadConfig, type AppConfig } from "@askproai/shared/server";
import type { DestinationStream } from "pino";
import { createApp } from "../app.js";
import { answerClientErrors } from "../errors.js";
import { closeApiDeps, createApiDeps, type ApiDeps } from "../deps.js";

export interface TestApi {
  baseUrl: string;
  deps: ApiDeps;
  scratch: ScratchDatabase;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** The URL the API connects to its scratch database by (e.g. through a TCP proxy); seeding uses the scratch URL. */
  databaseUrl?: (scratchUrl: string) => string;
  /** Where the API's logs go (tests that read them); level LOG_LEVEL / TEST_LOG_LEVEL still applies. */
  logDestination?: DestinationStream;
}

export const startTestApi = async (overrides: Partial<Record<keyof AppConfig, string>> = {}, options: TestApiOptions = {}): Promise<TestApi> => {
  const scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATABASE_URL: options.databaseUrl?.(scratch.url) ?? scratch.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: scratchRedisPrefix(),
    // Tests that race many requests from one session measure other things; the flood test sets real budgets.
    BUDGET_SESSION_PER_SECOND: "100000",
    BUDGET_COMPANY_PER_SECOND: "100000",
    ...overrides,
  });
  const deps = createApiDeps(config, options.logDestination ? { logger: createLogger({ level: config.LOG_LEVEL, service: "api" }, options.logDestination) } : {});
  const server: Server = await new Promise((resolve) => {
    const s = createApp(deps).listen(0, "127.0.0.1", () => resolve(s));
    answerClientErrors(s);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    deps,
    scratch,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await clearRedisPrefix(config.REDIS_PREFIX).catch(() => undefined);
      await closeApiDeps(deps);
      await scratch.drop();
    },
  };
};

export interface TrpcErrorBody {
  error: { message: string; code: number; data: { code: string; httpStatus: number; fields?: string[]; alternatives?: { start: string; staffId: string }[]; [k: string]: unknown } };
}

/** Plain-HTTP tRPC calls exactly as the contract describes them (what scripts and the voice agent do). */
export const http = (baseUrl: string) => {
  const call = async (method: "GET" | "POST", path: string, input: unknown, token?: string, headers: Record<string, string> = {}) => {
    const url = new URL(`/trpc/${path}`, baseUrl);
    if (method === "GET" && input !== undefined) url.searchParams.set("input", JSON.stringify(input));
    const res = await fetch(url, {
      method,
      headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: method === "POST" ? JSON.stringify(input ?? {}) : undefined,
    });
    const body = (await res.json()) as { result?: { data: unknown } } & Partial<TrpcErrorBody>;
    return { status: res.status, headers: res.headers, body, data: body.result?.data as any, error: body.error };
  };
  return {
    query: (path: string, input?: unknown, token?: string, headers?: Record<string, string>) => call("GET", path, input, token, headers),
    mutation: (path: string, input?: unknown, token?: string, headers?: Record<string, string>) => call("POST", path, input, token, headers),
    async login(email: string, password = "demo-pass-123") {
      const res = await call("POST", "auth.login", { email, password });
      if (!res.data?.token) throw new Error(`login failed for ${email}: ${JSON.stringify(res.body)}`);
      return res.data as { token: string; user: { id: string; name: string; role: string; companyId: string } };
    },
  };
};

/** A test file's API: started before its tests, closed after them. Read `api` and `client` inside tests. */
export const useTestApi = () => {
  const handle = {} as { api: TestApi; client: ReturnType<typeof http> };
  beforeAll(async () => {
    handle.api = await startTestApi();
    handle.client = http(handle.api.baseUrl);
  });
  afterAll(async () => handle.api?.close());
  return handle;
};

let unique = 0;
/** An idempotency key no other request of the run uses. */
export const uniqueKey = (label = "test") => `${label}-${Date.now().toString(36)}-${unique++}`;
/** A German mobile number (E.164) no other request of the run uses. */
export const uniquePhone = () => `+49157${String(1_000_000 + (unique++ % 9_000_000)).padStart(8, "0")}`;

/** A TCP port nothing listens on right now (for a child process's PORT). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
