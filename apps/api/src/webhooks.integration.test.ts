/**
 * Webhook intake over real HTTP, real PostgreSQL and Redis (no worker here: what the API stores and
 * queues is read directly). Signatures, one row and one job per event, already-processed answers,
 * bad bodies, the database unreachable, what logs and jobs carry, and hostile input never a 500.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { poolOf } from "@askproai/db";
import { processWebhookEvent, WEBHOOKS_QUEUE } from "@askproai/db/webhooks";
import { calcomBookingEvent, retellCallEvent, signedDelivery, stripeEvent, type SignedDelivery, type WebhookSourceName } from "@askproai/stand-ins/webhooks";
import { signCalcom, signRetell, signStripe } from "@askproai/shared/server";
import { Queue } from "bullmq";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileJson, hostileString, isErrorShape } from "./testing/hostile.js";
import { startTestApi, type TestApi } from "./testing/server.js";
import { tcpProxy, type TcpProxy } from "@askproai/db/testing";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

let api: TestApi;
let queue: Queue;
beforeAll(async () => {
  api = await startTestApi({ LOG_LEVEL: "debug" }, { logDestination: logSink });
  queue = new Queue(WEBHOOKS_QUEUE, { prefix: `${api.deps.config.REDIS_PREFIX}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
});
afterAll(async () => {
  await queue?.close();
  await api?.close();
});

const send = (d: SignedDelivery, base = api.baseUrl) => fetch(`${base}${d.path}`, { method: "POST", headers: d.headers, body: d.body });
const secrets = () => api.deps.config;
const sample = (source: WebhookSourceName): Record<string, unknown> =>
  source === "retell" ? retellCallEvent("call_ended") : source === "calcom" ? calcomBookingEvent("BOOKING_CREATED") : stripeEvent("invoice.paid");
const rows = async (where = "TRUE", values: unknown[] = []) =>
  (await poolOf(api.scratch.db).query<{ id: string; source: string; event_id: string; processed_at: Date | null }>(`SELECT * FROM webhook_events WHERE ${where}`, values)).rows;
const identityOf = (source: WebhookSourceName, body: any) =>
  source === "retell" ? `${body.call.call_id}:${body.event}` : source === "calcom" ? `${body.triggerEvent}:${body.payload.uid}:${body.createdAt}` : body.id;

describe("signatures", () => {
  const header = { retell: "x-retell-signature", calcom: "x-cal-signature-256", stripe: "stripe-signature" } as const;

  it.each(["retell", "calcom", "stripe"] as const)("%s: a correct signature is stored; wrong, missing, over a changed body, stale or malformed → 401, nothing stored", async (source) => {
    const good = sample(source);
    const accepted = await send(signedDelivery(source, good, secrets()));
    expect(accepted.status).toBe(204);
    expect(await rows("event_id = $1", [identityOf(source, good)])).toHaveLength(1);

    const refused: { what: string; delivery: SignedDelivery }[] = [];
    const fresh = () => sample(source);
    const wrongSecrets = { RETELL_API_KEY: "wrong-key", CALCOM_WEBHOOK_SECRET: "wrong-secret", STRIPE_WEBHOOK_SECRET: "whsec_wrong" };
    refused.push({ what: "wrong secret", delivery: signedDelivery(source, fresh(), wrongSecrets) });
    const missing = signedDelivery(source, fresh(), secrets());
    delete missing.headers[header[source]];
    refused.push({ what: "missing", delivery: missing });
    const changed = signedDelivery(source, fresh(), secrets());
    refused.push({ what: "changed body", delivery: { ...changed, body: changed.body.replace("}", ',"extra":1}') } });
    if (source !== "calcom") {
      for (const offset of [-6 * 60_000, 6 * 60_000]) refused.push({ what: `timestamp ${offset / 60_000} min`, delivery: signedDelivery(source, fresh(), secrets(), Date.now() + offset) });
    }
    const raw = JSON.stringify(fresh());
    const malformed =
      source === "retell"
        ? [`v=abc,d=${"0".repeat(64)}`, signRetell(raw, secrets().RETELL_API_KEY).replace("v=", "t="), `${signRetell(raw, secrets().RETELL_API_KEY)},extra`]
        : source === "calcom"
          ? ["no-secret-provided", `sha256=${signCalcom(raw, secrets().CALCOM_WEBHOOK_SECRET)}`, signCalcom(raw, secrets().CALCOM_WEBHOOK_SECRET).slice(2)]
          : ["t=abc,v1=00", `v1=${signStripe(raw, secrets().STRIPE_WEBHOOK_SECRET).split("v1=")[1]}`, signStripe(raw, secrets().STRIPE_WEBHOOK_SECRET).replace(",", ";")];
    for (const value of malformed) refused.push({ what: `malformed ${value.slice(0, 12)}`, delivery: { path: `/webhooks/${source}`, headers: { "content-type": "application/json", [header[source]]: value }, body: raw } });

    for (const { what, delivery } of refused) {
      const res = await send(delivery);
      expect(res.status, what).toBe(401);
      const body = (await res.json()) as any;
      expect(isErrorShape(body), what).toBe(true);
      expect(body.error.message).toContain(header[source]);
    }
    expect(await rows("source = $1::webhook_source", [source])).toHaveLength(1);
  });

  it("Stripe: any of several v1 values may match (secret rotation)", async () => {
    const body = JSON.stringify(stripeEvent("invoice.paid"));
    const t = Math.floor(Date.now() / 1000);
    const good = signStripe(body, secrets().STRIPE_WEBHOOK_SECRET, t).split(",")[1];
    const other = signStripe(body, "whsec_old_secret", t).split(",")[1];
    const res = await send({ path: "/webhooks/stripe", headers: { "content-type": "application/json", "stripe-signature": `t=${t},${other},${good}` }, body });
    expect(res.status).toBe(204);
  });
});

describe("deliveries", () => {
  it("first 204; a repeat while unprocessed 204 with no second row nor job; once processed 200 already_processed", async () => {
    const body = retellCallEvent("call_ended", { toNumber: "+493023125101" });
    const delivery = () => signedDelivery("retell", body, secrets());
    const counts = async () => queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
    const before = await counts();
    expect((await send(delivery())).status).toBe(204);
    const stored = await rows("event_id = $1", [identityOf("retell", body)]);
    expect(stored).toHaveLength(1);
    await expect.poll(async () => (await queue.getJob(`webhook-${stored[0]!.id}`))?.id, { timeout: 5_000 }).toBe(`webhook-${stored[0]!.id}`);
    const again = await Promise.all([send(delivery()), send(delivery()), send(delivery())]);
    expect(again.map((r) => r.status)).toEqual([204, 204, 204]);
    expect(await rows("event_id = $1", [identityOf("retell", body)])).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await counts()).waiting).toBe((before.waiting ?? 0) + 1);
    // Job data: ids only.
    const job = await queue.getJob(`webhook-${stored[0]!.id}`);
    expect(Object.keys(job!.data).sort()).toEqual(["correlationId", "webhookEventId"]);
    expect(JSON.stringify(job!.data)).not.toMatch(/\+49|call_|Anrufer/);

    expect(await processWebhookEvent({ db: api.scratch.db, stripe: null }, stored[0]!.id)).toMatchObject({ outcome: "processed" });
    const done = await send(delivery());
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ status: "already_processed" });
    expect(await rows("event_id = $1", [identityOf("retell", body)])).toHaveLength(1);
  });

  it("400 for a body that is not JSON, has no event identity, or holds text PostgreSQL cannot store; nothing stored", async () => {
    const before = (await rows()).length;
    const cases: [WebhookSourceName, string, RegExp][] = [
      ["retell", "{not json", /not valid JSON/],
      ["retell", JSON.stringify({ event: "call_ended", call: {} }), /call\.call_id/],
      ["retell", JSON.stringify({ call: { call_id: "c1" } }), /event/],
      ["calcom", JSON.stringify({ triggerEvent: "BOOKING_CREATED", createdAt: new Date().toISOString(), payload: {} }), /payload\.uid/],
      ["calcom", JSON.stringify({ triggerEvent: "MEETING_STARTED", uid: "x" }), /createdAt|payload/],
      ["stripe", JSON.stringify({ type: "invoice.paid", data: {} }), /\bid\b/],
      ["stripe", JSON.stringify([1, 2, 3]), /body|id/],
      ["stripe", JSON.stringify({ id: "evt_nul", type: "invoice.paid", data: { object: { note: "a\u0000b" } } }), /cannot be stored/],
      ["retell", `${"[".repeat(40)}${"]".repeat(40)}`, /nested deeper/],
    ];
    for (const [source, body, message] of cases) {
      const res = await send(signedDelivery(source, body, secrets()));
      expect(res.status, body.slice(0, 60)).toBe(400);
      expect(((await res.json()) as any).error.message).toMatch(message);
    }
    expect(await rows()).toHaveLength(before);
  });

  it("logs name the source, outcome and ids, never a signature, a secret or the body", async () => {
    const body = stripeEvent("customer.subscription.updated");
    const delivery = signedDelivery("stripe", body, secrets());
    expect((await send(delivery)).status).toBe(204);
    const bad = signedDelivery("retell", retellCallEvent("call_started"), { ...secrets(), RETELL_API_KEY: "wrong" });
    expect((await send(bad)).status).toBe(401);
    const logs = logLines.join("");
    expect(logs).toMatch(/webhook: stored/);
    expect(logs).toMatch(/signature refused/);
    const forbidden = [
      delivery.headers["stripe-signature"]!.split("v1=")[1]!,
      bad.headers["x-retell-signature"]!.split("d=")[1]!,
      secrets().STRIPE_WEBHOOK_SECRET,
      secrets().RETELL_API_KEY,
      secrets().CALCOM_WEBHOOK_SECRET,
      "+4915112345678",
      body.data.object.customer as string,
    ];
    for (const secret of forbidden) expect(logs).not.toContain(secret);
  });
});

describe("operations", () => {
  it("/metrics counts webhook deliveries by source and outcome", async () => {
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    for (const [source, outcome] of [["retell", "accepted"], ["retell", "duplicate"], ["stripe", "rejected"], ["retell", "invalid"], ["stripe", "invalid"]]) {
      expect(text).toMatch(new RegExp(`askproai_webhook_events_total\\{[^}]*source="${source}"[^}]*outcome="${outcome}"[^}]*\\} [1-9]`));
    }
  });

  it("npm run webhook signs a sample event with the configured secret and sends it: 204, then 200 once processed", { timeout: 30_000 }, async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/webhook.ts", ...args, "--url", api.baseUrl], { cwd: root, env: { ...process.env, NODE_ENV: "test" } });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("exit", (code) => resolve({ code, out }));
      });
    const callId = `call_script_${Date.now()}`;
    const first = await run("retell", "call_ended", "--call", callId);
    expect(first.out).toMatch(/retell call_ended → HTTP 204/);
    expect(first.code).toBe(0);
    const [row] = await rows("event_id = $1", [`${callId}:call_ended`]);
    await processWebhookEvent({ db: api.scratch.db, stripe: null }, row!.id);
    expect((await run("retell", "call_ended", "--call", callId)).out).toMatch(/HTTP 200 .*already_processed/);
    expect((await run("stripe", "no.such.event")).code).toBe(2);
  });
});

describe("outages", () => {
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let proxied: TestApi;
  beforeAll(async () => {
    pgProxy = await tcpProxy({ host: "127.0.0.1", port: 5432 });
    redisProxy = await tcpProxy();
    proxied = await startTestApi({ REDIS_URL: redisProxy.url }, { databaseUrl: (url) => url.replace("127.0.0.1:5432", `127.0.0.1:${pgProxy.port}`) });
  });
  afterAll(async () => {
    await pgProxy?.start().catch(() => undefined);
    await proxied?.close();
    await pgProxy?.stop().catch(() => undefined);
    await redisProxy?.stop().catch(() => undefined);
  });

  it("PostgreSQL unreachable → 503 with Retry-After; once it is back the same delivery is stored", async () => {
    const delivery = signedDelivery("calcom", calcomBookingEvent("BOOKING_CREATED"), proxied.deps.config);
    await pgProxy.stop();
    const res = await send(delivery, proxied.baseUrl);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as any).error.data.dependency).toBe("postgresql");
    await pgProxy.start();
    await expect.poll(async () => (await send(delivery, proxied.baseUrl)).status, { timeout: 15_000, interval: 200 }).toBe(204);
    expect((await poolOf(proxied.scratch.db).query("SELECT 1 FROM webhook_events WHERE source = 'calcom'")).rowCount).toBe(1);
  });

  it("Redis unreachable → still stored and answered 204 at once (the job is left to the sweep)", async () => {
    await redisProxy.stop();
    const body = stripeEvent("invoice.payment_failed");
    const started = performance.now();
    const res = await send(signedDelivery("stripe", body, proxied.deps.config), proxied.baseUrl);
    expect(res.status).toBe(204);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await poolOf(proxied.scratch.db).query("SELECT 1 FROM webhook_events WHERE event_id = $1 AND processed_at IS NULL", [body.id])).rowCount).toBe(1);
    await redisProxy.start();
  });
});

describe("hostile input", () => {
  const sources = ["retell", "calcom", "stripe"] as const;
  const anyBody = fc.oneof(
    hostileJson(4).map((v) => JSON.stringify(v) ?? "null"),
    hostileString,
    fc.constantFrom(...sources).map((s) => JSON.stringify(sample(s))),
    fc.tuple(fc.constantFrom(...sources), hostileJson(2)).map(([s, v]) => JSON.stringify({ ...sample(s), call: v, payload: v, id: v, type: v, event: v })),
  );

  it("signed or not, any body and any signature header on the three routes is answered 204, 200, 400, 401, 413 or 431, never 500", { timeout: 50_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sources), anyBody, fc.oneof(fc.constant<"sign">("sign"), hostileString), async (source, body, header) => {
        const delivery = header === "sign" ? signedDelivery(source, body, secrets()) : { path: `/webhooks/${source}`, headers: { "content-type": "application/json", "x-retell-signature": header, "x-cal-signature-256": header, "stripe-signature": header }, body };
        const res = await fetch(`${api.baseUrl}${delivery.path}`, { method: "POST", headers: Object.fromEntries(Object.entries(delivery.headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v))), body: delivery.body });
        expect([200, 204, 400, 401, 413, 431]).toContain(res.status);
        if (res.status >= 400) expect(isErrorShape(await res.json())).toBe(true);
        else await res.arrayBuffer();
      }),
      { numRuns: 120 },
    );
  });
});
