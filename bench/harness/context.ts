/** What every scenario gets: the servers, the login, the seeded bench company, and the run's sizes. */
import { randomUUID } from "node:crypto";
import { CLOSE_MINUTE, OPEN_MINUTE, STAFF_COUNT, localInstant, type BenchFixture } from "../fixture.js";
import type { BenchRequest, Client } from "../load.js";
import { warn } from "./process.js";
import { skipped } from "./report.js";
import { isMissingProcedure, parse } from "./trpc.js";

export const QUICK = process.env.BENCH_QUICK === "1";
/** BENCH_ONLY=bookings,contention runs only those scenario groups (contention needs bookings' warm-up). */
export const SCENARIO_GROUPS = ["reference", "availability", "bookings", "contention", "voice", "webhooks", "relay"] as const;
const only = (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
for (const name of only) {
  if (!(SCENARIO_GROUPS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown scenario group "${name}" (known: ${SCENARIO_GROUPS.join(", ")})`);
}
export const ONLY = only.length ? new Set(only) : null;
export const runs = (group: (typeof SCENARIO_GROUPS)[number]) => ONLY === null || ONLY.has(group);
export const scale = (n: number) => (QUICK ? Math.max(1, Math.round(n / 5)) : n);

export const CONFIG = {
  reference: { count: scale(1000), concurrency: 8 },
  warm: { warmup: scale(300), count: scale(2000), maxMs: QUICK ? 4_000 : 20_000, concurrency: 8, days: 7 },
  cold: { days: 7, rangeDays: QUICK ? 36 : 180, maxMs: QUICK ? 6_000 : 30_000, concurrency: 2 },
  bookings: { warmup: scale(50), count: scale(3000), maxMs: QUICK ? 2_000 : 10_000, concurrency: 16 },
  contention: { requests: 200, slots: 3 },
  voice: { warmup: scale(50), count: scale(600), maxMs: QUICK ? 3_000 : 12_000, concurrency: 4, days: 60 },
  relay: { count: scale(300), maxMs: QUICK ? 3_000 : 10_000, concurrency: 2 },
  webhooks: { warmup: scale(200), count: scale(3000), maxMs: QUICK ? 3_000 : 10_000, concurrency: 50, processedCount: scale(300), processedPerSecond: 40 },
  // Day offsets from tomorrow (see fixture.ts): seeded appointments live in 0–6.
  offsets: { bookings: 7, contention: 60, bookingWarmup: 90, voiceChecks: 120, voiceBookings: 200, relay: 300 },
};

export const TARGETS = { warmRatio: 3, coldP95Ms: 30, contentionP99Ms: 250, bookingsPerSecond: 300, voiceCheckP95Ms: 50, voiceBookP95Ms: 150, voiceFloorRatio: 5, relayP99Ms: 500, webhookAckP99Ms: 10, webhookFloorRatio: 3, webhookProcessedP95Ms: 100 };

/** The API's (and worker's) signing secrets in the bench: the senders sign with them. */
export const BENCH_SECRETS = {
  RETELL_API_KEY: "bench-retell-api-key",
  CALCOM_WEBHOOK_SECRET: "bench-calcom-webhook-secret",
  STRIPE_WEBHOOK_SECRET: "whsec_bench_stripe_webhook_secret",
};

export interface Ctx {
  api: string;
  floor: string;
  token: string;
  fx: BenchFixture;
  runId: string;
}

export let phoneCounter = 0;
/** A fresh German mobile number per booking (E.164). */
export const nextPhone = () => `+4917${String(++phoneCounter).padStart(9, "0")}`;

export const createBody = (ctx: Ctx, staffId: string, start: string, label: string) =>
  JSON.stringify({
    branchId: ctx.fx.branchId,
    serviceId: ctx.fx.services.short,
    staffId,
    start,
    customer: { phone: nextPhone(), name: `Bench ${label}` },
    idempotencyKey: `bench-${ctx.runId}-${randomUUID()}`,
  });

export const auth = (ctx: Ctx) => ({ authorization: `Bearer ${ctx.token}` });

/** Distinct 30-minute slots: staff round-robin first, then 30-min steps 08:00–20:00, then days. */
export const distinctSlot = (ctx: Ctx, i: number, firstOffset: number) => {
  const perDay = (CLOSE_MINUTE - OPEN_MINUTE) / 30;
  const staffId = ctx.fx.staffIds[i % STAFF_COUNT]!;
  const j = Math.floor(i / STAFF_COUNT);
  return { staffId, start: localInstant(firstOffset + Math.floor(j / perDay), OPEN_MINUTE + (j % perDay) * 30) };
};

/** Probes a procedure once; false (and a SKIP line) when the API does not have it yet. */
export const probe = async (ctx: Ctx, client: Client, path: string, req: BenchRequest) => {
  const sample = await client.send(req, true);
  if (isMissingProcedure(sample)) {
    skipped.push(`${path}: the API has no such procedure yet (404 ${parse(sample.body).error?.message ?? ""})`);
    warn(`${path} is not in the API yet; skipping its scenarios`);
    return null;
  }
  return sample;
};
