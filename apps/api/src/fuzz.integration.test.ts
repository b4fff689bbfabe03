/**
 * 10,000 generated requests, valid and hostile, against every public procedure and every raw-body route
 * of the running server over HTTP: zero 5xx, every 4xx in the documented error shape, healthy afterwards.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.js";
import { at, nextDate } from "./testing/dates.js";
import { hostileJson, isErrorShape, nearValid } from "./testing/hostile.js";
import { useTestApi } from "./testing/server.js";

const t = useTestApi();
const TOTAL = 10_000;
const CONCURRENCY = 16;
const RAW_ROUTES = ["/webhooks/retell", "/webhooks/calcom", "/webhooks/stripe", "/voice/retell/functions", "/webhooks/sms"];

type Case = { kind: "procedure"; path: string; method: "GET" | "POST"; input: unknown; auth: number } | { kind: "raw"; path: string; body: string; headers: Record<string, string> };

describe("hostile input over HTTP", () => {
  it(`${TOTAL} generated requests: no 5xx, every 4xx in the error shape, the server healthy afterwards`, { timeout: 240_000 }, async () => {
    const owner = await t.client.login("owner@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, owner.token)).data[0].id as string;
    const serviceId = (await t.client.query("directory.services", { branchId }, owner.token)).data[0].id as string;
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
      .filter(([path, p]) => p._def.type !== "subscription" && !["auth.login", "auth.logout", "platform.login"].includes(path))
      .map(([path, p]) => ({ path, method: p._def.type === "query" ? ("GET" as const) : ("POST" as const) }));
    const valid = { branchId, serviceId, start: at(nextDate(20), "10:00"), from: nextDate(20), days: 2, customer: { phone: "0151 2223334", name: "Fuzz" }, idempotencyKey: "fuzz-key-0001", id: branchId, query: "Fu" };
    const procedureCase = fc.record({
      procedure: fc.constantFrom(...procedures),
      input: fc.oneof(hostileJson(5), nearValid(valid), fc.constant(valid)),
      auth: fc.integer({ min: 0, max: 2 }),
    }).map(({ procedure, input, auth }): Case => ({ kind: "procedure", ...procedure, input, auth }));
    const rawCase = fc.record({
      path: fc.constantFrom(...RAW_ROUTES),
      body: fc.oneof(hostileJson(5).map((v) => JSON.stringify(v) ?? "null"), fc.string({ unit: "binary", maxLength: 200 }), fc.constant("[".repeat(3000))),
      headers: fc.dictionary(fc.constantFrom("x-retell-signature", "x-cal-signature-256", "stripe-signature", "content-type", "x-twilio-signature"), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")), { maxKeys: 3 }),
    }).map((r): Case => ({ kind: "raw", ...r }));
    const cases = fc.sample(fc.oneof({ weight: 17, arbitrary: procedureCase }, { weight: 3, arbitrary: rawCase }), { numRuns: TOTAL, seed: 20261125 });
    // A few logins too (argon2 is slow on purpose, so only a handful; platform.login verifies the same way).
    const logins = fc.sample(fc.record({ email: hostileJson(2), password: hostileJson(2) }), { numRuns: 50, seed: 7 });

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const send = async (c: Case) => {
      let res: Response;
      if (c.kind === "procedure") {
        const headers: Record<string, string> = c.auth === 1 ? { authorization: `Bearer ${owner.token}` } : c.auth === 2 ? { authorization: "Bearer forged-token" } : {};
        const json = JSON.stringify(c.input) ?? "null";
        res = c.method === "GET"
          ? await fetch(`${t.api.baseUrl}/trpc/${c.path}?input=${encodeURIComponent(json)}`, { headers })
          : await fetch(`${t.api.baseUrl}/trpc/${c.path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: json });
      } else {
        res = await fetch(`${t.api.baseUrl}${c.path}`, { method: "POST", headers: c.headers, body: c.body });
      }
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      if (res.status >= 500) failures.push(`${res.status} ${c.kind === "procedure" ? c.path : c.path}: ${JSON.stringify(c).slice(0, 300)} → ${text.slice(0, 200)}`);
      else if (res.status >= 400 && res.status !== 404 && !isErrorShape(body) && c.kind === "procedure") failures.push(`shape ${res.status} ${c.path}: ${text.slice(0, 200)}`);
      else if (res.status >= 400 && res.status < 500 && !isErrorShape(body) && !(body && typeof body === "object")) failures.push(`shape ${res.status} ${c.path}: ${text.slice(0, 200)}`);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) await send(cases[next++]!);
      }),
    );
    for (const login of logins) await send({ kind: "procedure", path: "auth.login", method: "POST", input: login, auth: 0 });

    console.log(`fuzz: ${cases.length + logins.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    if (failures.length) console.log(failures.slice(0, 8).join("\n"));
    expect(failures.slice(0, 10)).toEqual([]);
    expect((await fetch(`${t.api.baseUrl}/readyz`)).status).toBe(200);
    expect((await t.client.query("auth.me", undefined, owner.token)).status).toBe(200);
  });
});
