/**
 * More than 10,000 generated requests, valid and hostile, against the running server over HTTP: every
 * procedure of the app router (its list read from the router, so a new procedure without an entry in
 * SEEDS fails this test), every raw-body route (webhooks and voice functions, signed and unsigned) and
 * every plain route. Zero 5xx, every 4xx in the documented error shape with the request's correlation
 * id, the server healthy afterwards; the count per route is printed.
 */
import { randomUUID } from "node:crypto";
import { signCalcom, signRetell, signStripe, signTwilio } from "@askproai/shared/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.js";
import { at, nextDate } from "./testing/dates.js";
import { hasCorrelatedErrorShape, hostileJson, hostileString, nearValidDeep } from "./testing/hostile.js";
import { DEMO_NUMBERS } from "./testing/retell.js";
import { SEEDS, type Fixtures } from "./testing/fuzz-seeds.js";
import { useTestApi } from "./testing/server.js";

const t = useTestApi();
const CONCURRENCY = 16;
/** Generated cases per tRPC procedure; per raw-body route; per plain route. Logins get LOGIN_CASES (argon2 is slow on purpose). */
const PER_PROCEDURE = 95;
const PER_RAW_ROUTE = 240;
const PER_PLAIN_ROUTE = 40;
const BATCHES = 150;
const LOGIN_CASES = 25;


type Auth = "right" | "desk" | "other" | "none" | "forged";
type Case =
  | { kind: "procedure"; path: string; type: string; input: unknown; auth: Auth }
  | { kind: "batch"; paths: string[]; method: "GET" | "POST"; inputs: unknown[] }
  | { kind: "raw"; route: string; body: string; headers: Record<string, string> }
  | { kind: "plain"; route: string; method: string; url: string; headers: Record<string, string> };

const RETELL_CALL = { call_id: "call_fuzz", agent_id: "agent_fuzz", call_type: "phone_call", direction: "inbound", from_number: "+4915112345678", to_number: DEMO_NUMBERS.salon };
const VOICE_ARGS: Record<string, (f: Fixtures) => Record<string, unknown>> = {
  check_availability: (f) => ({ service: "Herrenhaarschnitt", date: f.from, time: "10:00", staff: "Lena", branch: "Prenzlauer Berg" }),
  book_appointment: (f) => ({ service: "Herrenhaarschnitt", date: f.from, time: "11:00", staff: "Lena", customer_name: "Anrufer Fuzz", customer_phone: "0151 9998887" }),
  find_appointments: () => ({ customer_phone: "+4915112345678" }),
  reschedule_appointment: (f) => ({ appointment_id: f.appointmentId, start: f.end, staff: "Murat" }),
  cancel_appointment: (f) => ({ appointment_id: f.appointmentId, reason: "krank" }),
};

describe("hostile input over HTTP", () => {
  it("every procedure of the router has a fuzz seed, and every seed a procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.filter((p) => !(p in SEEDS)), "procedures without a fuzz seed (add one to SEEDS)").toEqual([]);
    expect(Object.keys(SEEDS).filter((p) => !procedures.includes(p)), "seeds of procedures that no longer exist").toEqual([]);
  });

  it("over 10,000 generated requests: no 5xx, every 4xx in the error shape with its correlation id, the server healthy afterwards", { timeout: 300_000 }, async () => {
    const db = t.api.scratch.db;
    const { deps } = t.api;
    const owner = await t.client.login("owner@simple-salon.example");
    const desk = await t.client.login("desk@simple-salon.example");
    const other = await t.client.login("owner@matrix-spa.example");
    const op = await t.client.mutation("platform.login", { email: "operator@askproai.example", password: "demo-pass-123" });
    const operatorToken = (op.data as { token: string }).token;
    const salon = await db.company.findFirstOrThrow({ where: { slug: "simple-salon" } });
    const branchId = (await db.branch.findFirstOrThrow({ where: { companyId: salon.id } })).id;
    const serviceId = (await db.service.findFirstOrThrow({ where: { companyId: salon.id, durationMinutes: 30 } })).id;
    const staffId = (await db.staff.findFirstOrThrow({ where: { companyId: salon.id } })).id;
    const from = nextDate(20);
    const booked = await t.client.mutation("appointments.create", { branchId, serviceId, staffId, start: at(from, "09:00"), customer: { phone: "+4915112345678", name: "Fuzz Anrufer" }, idempotencyKey: "fuzz-fixture-1" }, owner.token);
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const exception = await t.client.mutation("schedule.addException", { kind: "time_off", staffId, start: at(nextDate(40), "09:00"), end: at(nextDate(40), "10:00"), reason: "Fixture" }, owner.token);
    expect(exception.status, JSON.stringify(exception.body)).toBe(200);
    const spa = await db.company.findFirstOrThrow({ where: { slug: "matrix-spa" } });
    const f: Fixtures = {
      branchId,
      serviceId,
      staffId,
      appointmentId: booked.data.id as string,
      customerId: (await db.appointment.findUniqueOrThrow({ where: { id: booked.data.id as string } })).customerId,
      exceptionId: (exception.data as { id: string }).id,
      deskUserId: desk.user.id,
      foreignBranchId: (await db.branch.findFirstOrThrow({ where: { companyId: spa.id } })).id,
      foreignCompanyId: (await db.company.findFirstOrThrow({ where: { slug: "hotline-clinic" } })).id,
      from,
      start: at(from, "10:00"),
      end: at(from, "12:00"),
      offStart: at(nextDate(45), "10:00"),
      offEnd: at(nextDate(45), "12:00"),
    };
    // A logout ends the session it is sent with: it gets one of its own (a company's or an operator's).
    const LOGOUTS = ["auth.logout", "platform.logout"];
    const freshToken = async (path: string) =>
      path === "platform.logout"
        ? ((await t.client.mutation("platform.login", { email: "operator@askproai.example", password: "demo-pass-123" })).data as { token: string }).token
        : (await t.client.login("desk@hotline-clinic.example")).token;
    const tokenOf = (path: string, auth: Auth): string | undefined => {
      const caller = SEEDS[path]!.caller;
      if (auth === "right") return caller === "operator" ? operatorToken : caller === "company" ? owner.token : undefined;
      if (auth === "desk") return desk.token;
      if (auth === "other") return caller === "operator" ? owner.token : other.token;
      if (auth === "forged") return "forged-token-0123456789abcdef";
      return undefined;
    };

    // The cases: every procedure PER_PROCEDURE times (seed as is, mutated at any depth, or replaced),
    // mostly with the token that gets past authentication so that the input reaches validation and the domain.
    let seed = 20261207;
    const cases: Case[] = [];
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);
    const auth = fc.oneof({ weight: 12, arbitrary: fc.constant<Auth>("right") }, fc.constantFrom<Auth>("desk", "other", "none", "forged"));
    for (const [path, procedure] of procedures) {
      const valid = SEEDS[path]!.input(f);
      const input = valid === undefined ? fc.oneof(fc.constant(undefined), hostileJson(4)) : fc.oneof({ weight: 1, arbitrary: fc.constant(valid) }, { weight: 5, arbitrary: nearValidDeep(valid) }, { weight: 2, arbitrary: hostileJson(5) });
      const n = SEEDS[path]!.light ? LOGIN_CASES : PER_PROCEDURE;
      fc.sample(fc.record({ input, auth }), { numRuns: n, seed: seed++ }).forEach((c, i) => {
        // Every other case gets an idempotency key of its own, so that valid bookings reach the booking
        // transaction (and its conflicts) instead of replaying or clashing with the seed's one key.
        const input = c.input as { idempotencyKey?: unknown } | null;
        if (i % 2 === 0 && input && typeof input === "object" && input.idempotencyKey === "fuzz-key-0001") input.idempotencyKey = `fuzz-key-${path}-${i}`;
        cases.push({ kind: "procedure", path, type: procedure._def.type, ...c });
      });
    }
    // Batches: up to 25 calls (more than the documented 20 are refused), as GET and POST.
    const batchable = procedures.filter(([p, d]) => d._def.type !== "subscription" && !SEEDS[p]!.light).map(([p]) => p);
    for (const b of fc.sample(fc.record({ paths: fc.array(fc.constantFrom(...batchable), { minLength: 1, maxLength: 25 }), method: fc.constantFrom<"GET" | "POST">("GET", "POST"), inputs: fc.array(hostileJson(3), { maxLength: 25 }) }), { numRuns: BATCHES, seed: seed++ })) {
      cases.push({ kind: "batch", ...b, inputs: b.paths.map((p, i) => (i % 2 === 0 ? SEEDS[p]!.input(f) : b.inputs[i])) });
    }
    // Raw-body routes: signed near-valid and hostile bodies (so they reach parsing and the domain), unsigned and mis-signed ones.
    const { RETELL_API_KEY, CALCOM_WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET, SMS_AUTH_TOKEN } = deps.config;
    const smsUrl = `${t.api.baseUrl}/webhooks/sms`;
    const raw: Record<string, { valid: fc.Arbitrary<unknown>; sign: (body: string) => Record<string, string>; form?: boolean }> = {
      "/webhooks/retell": { valid: fc.constantFrom("call_started", "call_ended", "call_analyzed").map((event) => ({ event, call: { ...RETELL_CALL, call_id: `call_${randomUUID()}`, start_timestamp: Date.now(), call_analysis: { call_successful: true } } })), sign: (b) => ({ "x-retell-signature": signRetell(b, RETELL_API_KEY!) }) },
      "/webhooks/calcom": { valid: fc.constantFrom("BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED").map((triggerEvent) => ({ triggerEvent, createdAt: new Date().toISOString(), payload: { uid: randomUUID(), startTime: f.start, endTime: f.end, eventTypeId: 7, organizer: { id: 9 }, attendees: [{ name: "A", timeZone: "Europe/Berlin" }], metadata: {} } })), sign: (b) => ({ "x-cal-signature-256": signCalcom(b, CALCOM_WEBHOOK_SECRET!) }) },
      "/webhooks/stripe": { valid: fc.constantFrom("customer.subscription.updated", "invoice.paid", "checkout.session.completed").map((type) => ({ id: `evt_${randomUUID()}`, type, created: Math.floor(Date.now() / 1000), data: { object: { id: "sub_fuzz", customer: "cus_demo_simple_salon", status: "active", current_period_end: 1_900_000_000 } } })), sign: (b) => ({ "stripe-signature": signStripe(b, STRIPE_WEBHOOK_SECRET!) }) },
      "/voice/retell/functions": { valid: fc.constantFrom(...Object.keys(VOICE_ARGS)).map((name) => ({ name, call: RETELL_CALL, args: VOICE_ARGS[name]!(f) })), sign: (b) => ({ "x-retell-signature": signRetell(b, RETELL_API_KEY!) }) },
      "/webhooks/sms": { valid: fc.constantFrom("JA", "NEIN", "JA 4711").map((Body) => ({ From: "+4915112345678", Body, MessageSid: "SM0123" })), sign: () => ({}), form: true },
    };
    for (const [route, r] of Object.entries(raw)) {
      const body = fc.oneof(
        { weight: 1, arbitrary: r.valid },
        { weight: 5, arbitrary: r.valid.chain((v) => nearValidDeep(v)) },
        { weight: 2, arbitrary: hostileJson(5) },
      );
      const signing = fc.oneof({ weight: 3, arbitrary: fc.constant("signed" as const) }, fc.constantFrom("unsigned" as const, "garbage" as const));
      const garbage = fc.dictionary(fc.constantFrom("x-retell-signature", "x-cal-signature-256", "stripe-signature", "content-type", "x-twilio-signature"), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")), { maxKeys: 3 });
      for (const c of fc.sample(fc.record({ body, signing, garbage, binary: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, fc.string({ unit: "binary", maxLength: 200 }), fc.constant("[".repeat(3000))) }), { numRuns: PER_RAW_ROUTE, seed: seed++ })) {
        if (r.form) {
          // Twilio posts form parameters; hostile values become strings, the signature covers them.
          const params: Record<string, string> = {};
          for (const [k, v] of Object.entries((c.body && typeof c.body === "object" ? c.body : { Body: c.body }) as Record<string, unknown>)) params[k] = typeof v === "string" ? v : (JSON.stringify(v) ?? "");
          const text = c.binary ?? new URLSearchParams(params).toString();
          const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...(c.signing === "signed" ? { "x-twilio-signature": signTwilio(smsUrl, params, SMS_AUTH_TOKEN!) } : c.signing === "garbage" ? c.garbage : {}) };
          cases.push({ kind: "raw", route, body: text, headers });
          continue;
        }
        const text = c.binary ?? JSON.stringify(c.body) ?? "null";
        const headers = { "content-type": "application/json", ...(c.signing === "signed" ? r.sign(text) : c.signing === "garbage" ? c.garbage : {}) };
        cases.push({ kind: "raw", route, body: text, headers });
      }
    }
    // Plain routes (health, metrics, the invitation page, the voice tools, anything unknown), with hostile queries, methods and headers.
    const PLAIN = ["/healthz", "/readyz", "/metrics", "/invite", "/invite.js", "/voice/retell/tools", "/unknown", "/trpc/no.such.procedure", "/webhooks/retell"];
    for (const route of PLAIN) {
      const plain = fc.record({
        method: fc.oneof({ weight: 4, arbitrary: fc.constant("GET") }, fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "HEAD")),
        query: fc.oneof(fc.constant(""), hostileString.map((s) => `?q=${Buffer.from(s.slice(0, 300)).toString("hex").replace(/../g, "%$&")}`), fc.constantFrom("?q=%", "?q=%zz", "?q=%ED%A0%80", "?q=%00", "?input=%7B", "?a[b][c]=1&a=2")),
        authorization: fc.oneof(fc.constant(undefined), fc.constantFrom(`Bearer ${owner.token}`, `Bearer ${desk.token}`, "Bearer forged", "Basic Zm9vOmJhcg==")),
      });
      for (const c of fc.sample(plain, { numRuns: PER_PLAIN_ROUTE, seed: seed++ })) {
        cases.push({ kind: "plain", route, method: c.method, url: `${route}${c.query}`, headers: c.authorization ? { authorization: c.authorization } : {} });
      }
    }
    // Interleaved (a seeded shuffle), so that writes and reads of every area overlap.
    const shuffled = fc.sample(fc.array(fc.nat(), { minLength: cases.length, maxLength: cases.length }), { numRuns: 1, seed: seed++ })[0]!;
    const order = cases.map((c, i) => ({ c, key: shuffled[i]! })).sort((a, b) => a.key - b.key).map(({ c }) => c);
    const isLight = (c: Case) => c.kind === "procedure" && SEEDS[c.path]!.light === true;
    const light = order.filter(isLight);
    const heavy = order.filter((c) => !isLight(c));

    const failures: string[] = [];
    const counts = new Map<string, Map<number, number>>();
    const routeOf = (c: Case) => (c.kind === "procedure" ? c.path : c.kind === "batch" ? "(batch)" : c.route);
    const check = (c: Case, status: number, body: unknown, correlationId: string | null, text: string) => {
      const route = routeOf(c);
      const byStatus = counts.get(route) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      counts.set(route, byStatus);
      const what = `${status} ${route}: ${JSON.stringify(c).slice(0, 300)} → ${text.slice(0, 200)}`;
      if (status >= 500) return failures.push(what);
      // A batch that ran answers one entry per call: each error among them in the same shape.
      if (c.kind === "batch" && Array.isArray(body)) {
        for (const entry of body) if ((entry as { error?: unknown })?.error && !hasCorrelatedErrorShape(entry, correlationId)) return failures.push(`batch entry shape ${what}`);
        return;
      }
      if (status >= 400 && !(c.kind === "plain" && c.method === "HEAD") && !hasCorrelatedErrorShape(body, correlationId)) return failures.push(`shape ${what}`);
    };
    const send = async (c: Case) => {
      let url: string;
      let init: RequestInit & { headers: Record<string, string> };
      if (c.kind === "procedure") {
        const token = LOGOUTS.includes(c.path) && ["right", "desk", "other"].includes(c.auth) ? await freshToken(c.path) : tokenOf(c.path, c.auth);
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const json = c.input === undefined ? undefined : JSON.stringify(c.input);
        if (c.type === "mutation") {
          url = `/trpc/${c.path}`;
          init = { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: json ?? "" };
        } else {
          url = `/trpc/${c.path}${json === undefined ? "" : `?input=${encodeURIComponent(json)}`}`;
          init = { headers };
        }
      } else if (c.kind === "batch") {
        const inputs = Object.fromEntries(c.inputs.map((v, i) => [i, v]));
        url = `/trpc/${c.paths.join(",")}?batch=1${c.method === "GET" ? `&input=${encodeURIComponent(JSON.stringify(inputs))}` : ""}`;
        init = { method: c.method, headers: { authorization: `Bearer ${owner.token}`, ...(c.method === "POST" ? { "content-type": "application/json" } : {}) }, ...(c.method === "POST" ? { body: JSON.stringify(inputs) } : {}) };
      } else if (c.kind === "raw") {
        url = c.route;
        init = { method: "POST", headers: c.headers, body: c.body };
      } else {
        url = c.url;
        init = { method: c.method, headers: c.headers };
      }
      const abort = new AbortController();
      const res = await fetch(`${t.api.baseUrl}${url}`, { ...init, signal: abort.signal });
      // A subscription that opened is a server-sent event stream: its status is the answer, then hang up.
      if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
        abort.abort();
        return check(c, res.status, null, res.headers.get("x-correlation-id"), "(event stream)");
      }
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: checked as text (an error must be JSON)
      }
      check(c, res.status, body, res.headers.get("x-correlation-id"), text);
    };

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < heavy.length) await send(heavy[next++]!);
      }),
    );
    // Logins, logouts and invitation acceptance one at a time (argon2), the owner's session untouched.
    for (const c of light) await send(c);
    const seconds = (performance.now() - started) / 1000;

    const total = cases.length;
    const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([route, s]) => `${route.padEnd(30)} ${String([...s.values()].reduce((a, b) => a + b, 0)).padStart(5)}  ${JSON.stringify(Object.fromEntries(s))}`);
    const statuses = new Map<number, number>();
    for (const s of counts.values()) for (const [status, n] of s) statuses.set(status, (statuses.get(status) ?? 0) + n);
    console.log(`fuzz: ${total} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n${rows.join("\n")}`);
    if (failures.length) {
      // Grouped by kind, status and route, two examples each.
      const groups = new Map<string, string[]>();
      for (const failure of failures) {
        const key = failure.split(":")[0]!;
        groups.set(key, [...(groups.get(key) ?? []), failure]);
      }
      console.log(`${failures.length} failures:\n${[...groups.entries()].map(([key, list]) => `${list.length}× ${key}\n  ${list.slice(0, 2).join("\n  ")}`).join("\n")}`);
    }
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(failures.slice(0, 10)).toEqual([]);
    // Every procedure and every route was reached, most of them past authentication.
    for (const path of Object.keys(SEEDS)) expect(counts.get(path), path).toBeDefined();
    for (const route of [...Object.keys(raw), ...PLAIN]) expect(counts.get(route), route).toBeDefined();
    expect((await fetch(`${t.api.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.api.baseUrl}/readyz`)).status).toBe(200);
    expect((await t.client.query("auth.me", undefined, owner.token)).status).toBe(200);
    expect((await t.client.query("platform.me", undefined, operatorToken)).status).toBe(200);
  });
});
