import { redisProxy } from "@askproai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./testing/server.js";

describe("health and readiness", () => {
  let api: TestApi;
  let proxy: Awaited<ReturnType<typeof redisProxy>>;

  beforeAll(async () => {
    proxy = await redisProxy();
    api = await startTestApi({ REDIS_URL: proxy.url });
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.stop().catch(() => undefined);
  });

  it("/healthz answers 200 while the process runs", async () => {
    const res = await fetch(`${api.baseUrl}/healthz`);
    expect(res.status).toBe(200);
  });

  it("/readyz is 200 while PostgreSQL and Redis answer", async () => {
    await expect.poll(async () => (await fetch(`${api.baseUrl}/readyz`)).status, { timeout: 5_000 }).toBe(200);
    const body = (await (await fetch(`${api.baseUrl}/readyz`)).json()) as { checks: unknown };
    expect(body.checks).toEqual({ postgresql: "up", redis: "up" });
  });

  it("/readyz is 503 naming Redis while Redis is unreachable, and 200 again once it is back", async () => {
    await proxy.stop();
    const down = await fetch(`${api.baseUrl}/readyz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { down: string[]; message: string; checks: Record<string, string> };
    expect(body.down).toEqual(["redis"]);
    expect(body.message).toMatch(/redis/);
    expect(body.checks.postgresql).toBe("up");

    await proxy.start();
    await expect.poll(async () => (await fetch(`${api.baseUrl}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(200);
  });

  it("answers unknown routes with a JSON 404 in the tRPC error shape, with its correlation id", async () => {
    const res = await fetch(`${api.baseUrl}/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: number; data: { code: string; httpStatus: number; correlationId: string } } };
    expect(body.error).toMatchObject({ code: -32004, data: { code: "NOT_FOUND", httpStatus: 404 } });
    expect(body.error.data.correlationId).toBe(res.headers.get("x-correlation-id"));
  });
});
