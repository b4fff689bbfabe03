/**
 * `npm run chaos`: fault injection under a steady mixed load. On a scratch database and a Redis prefix
 * of its own: the stand-ins (Cal.com, SMS, e-mail, Stripe), two API processes behind one port, a
 * worker, a Redis proxy. Desk bookings, voice function calls and Retell webhooks run the whole time
 * while, in turn, the worker is SIGKILLed and restarted, an API process is SIGKILLed (its supervisor
 * replaces it), Redis is cut for 5 s and Cal.com answers 503 for 6 s. Then it waits for the pipeline to
 * drain and verifies: no overlaps, nothing lost, nothing twice, every idempotent request answered the
 * same. Prints a summary table; exit 1 when any check fails. CHAOS_SECONDS sets the load's length (45).
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMigratedDatabase, dropDatabase, newRunId } from "@askproai/db/testing/databases";
import { startStandIns } from "@askproai/stand-ins";
import { DEMO_SECRETS, signRetell } from "@askproai/shared/server";
import pg from "pg";
import { freePort, managed, redisProxy, sleep } from "./procs.js";
import { deskClient, voiceClient, webhookClient, type Load, type Slot } from "./traffic.js";
import { drain, verify } from "./verify.js";

const USAGE = `usage: npm run chaos

Fault injection under a steady mixed load (desk bookings, voice function calls, Retell webhooks) on a
scratch database: the worker SIGKILLed and restarted, an API process SIGKILLed, Redis cut for 5 s, Cal.com
answering 503 for 6 s; then it waits for the pipeline to drain and verifies in SQL and at the stand-ins.
Takes about CHAOS_SECONDS (default 45) plus set-up and drain; prints a summary table; exit 1 when a check
fails. Logs of the processes go to chaos-results/.

environment: CHAOS_SECONDS  length of the load in seconds (default 45)
             DATABASE_URL, REDIS_URL  the PostgreSQL server (a scratch database is made) and Redis`;
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`unknown argument ${args[0]}\n\n${USAGE}`);
  process.exit(2);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const logDir = join(root, "chaos-results");
mkdirSync(logDir, { recursive: true });
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 45);
const SALON_NUMBER = "+493023125101";
const step = (text: string) => console.log(`\x1b[36m▸\x1b[0m ${text}`);

const runId = newRunId();
const dbName = `askproai_chaos_${runId}`;
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
};
process.on("SIGINT", () => void cleanup().finally(() => process.exit(130)));

const main = async () => {
  step(`scratch database ${dbName} (migrations) and demo data…`);
  cleanups.push(() => dropDatabase(dbName));
  const url = await createMigratedDatabase(dbName);
  const { createDb, closeDb } = await import("@askproai/db");
  const { seedDemoData } = await import("@askproai/db/seed");
  const seedDb = createDb({ url, poolSize: 2 });
  await seedDemoData(seedDb, { nodeEnv: "development" });
  await closeDb(seedDb);

  step("stand-ins, Redis proxy, two API processes and a worker…");
  const standIns = await startStandIns({ calcom: { rateLimit: false } as never, sms: true, smtp: true, stripe: true });
  cleanups.push(() => standIns.close());
  const proxy = await redisProxy();
  cleanups.push(() => proxy.close());
  const [apiPort, workerPort] = await Promise.all([freePort(), freePort()]);
  const api = `http://127.0.0.1:${apiPort}`;
  const prefix = `askproai-chaos-${runId}:`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...standIns.env,
    NODE_ENV: "development",
    DATABASE_URL: url,
    REDIS_URL: proxy.url,
    REDIS_PREFIX: prefix,
    PORT: String(apiPort),
    API_PROCESSES: "2",
    WORKER_HTTP_PORT: String(workerPort),
    LOG_LEVEL: "warn",
    BUDGET_SESSION_PER_SECOND: "100000",
    BUDGET_COMPANY_PER_SECOND: "100000",
  };
  const apiProc = managed("api", root, "api", env, `${api}/readyz`, logDir);
  const worker = managed("worker", root, "worker", env, `http://127.0.0.1:${workerPort}/healthz`, logDir);
  cleanups.push(() => apiProc.kill("SIGTERM"), () => worker.kill("SIGTERM"));
  await Promise.all([apiProc.start(), worker.start()]);
  standIns.calcom?.subscribe({ url: `${api}/webhooks/calcom`, secret: DEMO_SECRETS.CALCOM_WEBHOOK_SECRET });

  const call = async (path: string, input: unknown, token?: string, method: "GET" | "POST" = "GET") => {
    const res = await fetch(method === "GET" ? `${api}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${api}/trpc/${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: method === "POST" ? JSON.stringify(input) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many procedures, read field by field below
    return (await res.json()) as { result?: { data: any }; error?: unknown };
  };
  const login = (await call("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" }, undefined, "POST")).result!.data as { token: string };
  const branchId = ((await call("directory.branches", undefined, login.token)).result!.data as { id: string }[])[0]!.id;
  const service = ((await call("directory.services", { branchId }, login.token)).result!.data as { id: string; name: string; durationMinutes: number }[]).sort((a, b) => a.durationMinutes - b.durationMinutes)[0]!;
  const from = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const slots = ((await call("availability.slots", { branchId, serviceId: service.id, from, days: 14 }, login.token)).result!.data as { slots: Slot[] }).slots;
  const voiceProbe = await fetch(`${api}/voice/retell/functions`, { method: "POST", body: "{}" });
  const hookProbe = await fetch(`${api}/webhooks/retell`, { method: "POST", body: "{}" });
  const hasVoice = voiceProbe.status !== 404;
  const hasHooks = hookProbe.status !== 404;
  step(`load for ${SECONDS} s: 4 desk clients${hasVoice ? ", 2 voice callers" : " (no voice route yet)"}${hasHooks ? ", Retell webhooks" : " (no webhook route yet)"} over ${slots.length} slots…`);

  const load: Load = { bookings: [], voice: [], webhooks: [], errors: new Map() };
  let stopAt = Date.now() + SECONDS * 1000;
  const clients = [
    ...Array.from({ length: 4 }, () => deskClient(load, api, login.token, { branchId, serviceId: service.id }, slots, () => stopAt)()),
    ...(hasVoice ? Array.from({ length: 2 }, () => voiceClient(load, api, DEMO_SECRETS.RETELL_API_KEY, SALON_NUMBER, service.name, slots, () => stopAt)()) : []),
    ...(hasHooks ? [webhookClient(load, api, DEMO_SECRETS.RETELL_API_KEY, SALON_NUMBER, () => stopAt)()] : []),
  ];

  const at = (fraction: number) => sleep(Math.max(0, stopAt - SECONDS * 1000 * (1 - fraction) - Date.now()));
  const faults: string[] = [];
  const faulting = (async () => {
    await at(0.15);
    faults.push("worker SIGKILL");
    step("fault: worker killed (SIGKILL); restarting in 3 s");
    await worker.kill("SIGKILL");
    await sleep(3_000);
    await worker.start();
    await at(0.35);
    const victim = ((await (await fetch(`${api}/healthz`)).json()) as { instance: number }).instance;
    faults.push(`API process ${victim} SIGKILL`);
    step(`fault: API process ${victim} killed (SIGKILL); its supervisor replaces it`);
    process.kill(victim, "SIGKILL");
    await at(0.55);
    faults.push("Redis cut for 5 s");
    step("fault: Redis cut for 5 s");
    await proxy.cut();
    await sleep(5_000);
    await proxy.restore();
    await at(0.75);
    faults.push("Cal.com 503 for 6 s");
    step("fault: Cal.com answers 503 for 6 s");
    standIns.calcom?.faults.add({ kind: "status", status: 503, durationMs: 6_000 });
  })();
  await Promise.all([...clients, faulting]);
  stopAt = Date.now();

  step("load stopped; waiting for the pipeline to drain…");
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  cleanups.push(() => db.end());
  const left = await drain(db);
  step(`drained (left: outbox ${left.outbox}, webhooks ${left.hooks}, syncs ${left.sync}); verifying…`);

  const checks = await verify({
    db,
    load,
    replayBooking: async (key, input) => (await call("appointments.create", { ...input, idempotencyKey: key }, login.token, "POST")).result?.data?.id as string | undefined,
    replayVoice: hasVoice
      ? async (callId, args) => {
          const body = JSON.stringify({ name: "book_appointment", call: { call_id: callId, agent_id: "agent_chaos", from_number: "+4915100000001", to_number: SALON_NUMBER }, args });
          const res = await fetch(`${api}/voice/retell/functions`, { method: "POST", headers: { "content-type": "application/json", "x-retell-signature": signRetell(body, DEMO_SECRETS.RETELL_API_KEY) }, body });
          return ((await res.json()) as { appointment?: { id?: string } }).appointment?.id;
        }
      : undefined,
    calcomBookings: () => (standIns.calcom?.bookings() ?? []).map((b) => ({ status: String(b.booking.status), metadata: b.booking.metadata as Record<string, unknown> | undefined })),
    smsMessages: () => (standIns.sms?.messages ?? []).map((m) => ({ to: String(m.to), body: String(m.body) })),
  });

  const booked = load.bookings.filter((b) => b.status === 200).length;
  console.log(`\nfaults: ${faults.join("; ")}`);
  console.log(`load: ${load.bookings.length} desk bookings (${booked} booked, ${load.bookings.filter((b) => b.status === 409).length} conflicts, ` +
    `${load.bookings.filter((b) => b.cancelled).length} cancelled), ${load.voice.length} voice calls, ${load.webhooks.length} webhook events; ` +
    `retried answers: ${JSON.stringify(Object.fromEntries(load.errors))}`);
  console.log("\ncheck                                              value  result  note");
  for (const c of checks) console.log(`${c.name.padEnd(50)} ${String(c.value).padStart(5)}  ${c.ok ? "\x1b[32mok\x1b[0m    " : "\x1b[31mFAIL\x1b[0m  "}  ${c.note ?? ""}`);
  console.log(`\nlogs: ${logDir}`);
  return checks.every((c) => c.ok);
};

main()
  .then(async (ok) => {
    await cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    console.error(`✗ chaos run failed: ${(error as Error).stack ?? String(error)}`);
    await cleanup();
    process.exit(1);
  });
