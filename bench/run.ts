/**
 * `npm run bench`: latency and throughput of the real API over real HTTP, each figure beside the
 * "floor" (a bare Express server on the same machine, same client, same concurrency).
 *
 * Creates a scratch database (migrations only), seeds a bench company, starts the API and the floor
 * server as child processes, runs the scenarios, checks in SQL that nothing overlaps, prints a table,
 * writes bench/results/latest.json, and drops the database again (also on Ctrl-C or error).
 * BENCH_QUICK=1 shrinks the counts about 5× for a smoke run. Exit 0 whatever the figures; 1 only when
 * the run itself broke.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createDb } from "@askproai/db";
import { clearRedisPrefix, createMigratedDatabase, dropDatabase, newRunId } from "@askproai/db/testing/databases";
import { seedBenchCompany } from "./fixture.js";
import { auth, BENCH_SECRETS, CONFIG, ONLY, QUICK, TARGETS, runs, type Ctx } from "./harness/context.js";
import { benchDir, cleanup, freePort, onCleanup, paint, resultsDir, root, setApiPid, startChild, step, tail, warn, wasInterrupted } from "./harness/process.js";
import { printTable, printTargets, rows, skipped, targets } from "./harness/report.js";
import { availabilityCold, availabilityWarm } from "./scenarios/availability.js";
import { bookings } from "./scenarios/bookings.js";
import { contention, verifyNoOverlap } from "./scenarios/contention.js";
import { authenticatedReference } from "./scenarios/reference.js";
import { relay } from "./scenarios/relay.js";
import { voice } from "./scenarios/voice.js";
import { webhookAck, webhookProcessed } from "./scenarios/webhooks.js";

const main = async () => {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const runId = newRunId();
  const dbName = `askproai_bench_${runId}`;
  const redisPrefix = `askproai-bench-${runId}:`;
  console.log(`AskProAI bench ${runId}${QUICK ? " (BENCH_QUICK=1: about 5× fewer requests)" : ""}${ONLY ? ` (BENCH_ONLY=${[...ONLY].join(",")})` : ""}`);
  const loadAtStart = os.loadavg()[0] ?? 0;
  if (loadAtStart > os.cpus().length * 0.5) {
    warn(`load average ${loadAtStart.toFixed(2)} on ${os.cpus().length} CPUs before the bench starts: other work is running, figures will be noisy`);
  }

  step(`creating database ${dbName} (prisma migrate deploy)…`);
  onCleanup("drop database", async () => {
    step(`dropping database ${dbName}…`);
    await dropDatabase(dbName);
  });
  const url = await createMigratedDatabase(dbName);

  step("seeding bench company (10 staff, 2 services, 50 appointments, 1 front-desk user)…");
  const db = createDb({ url, poolSize: 4 });
  onCleanup("disconnect prisma", () => db.$disconnect());
  const fx = await seedBenchCompany(db, runId);

  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  onCleanup("delete redis keys", () => clearRedisPrefix(redisPrefix, redisUrl));

  step("starting API (child process) and floor server (child process)…");
  const apiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: "warn",
    // The bench is one session pushing as hard as it can: budgets would measure themselves.
    BUDGET_SESSION_PER_SECOND: "1000000",
    BUDGET_COMPANY_PER_SECOND: "1000000",
    HOST: "127.0.0.1",
    ...BENCH_SECRETS,
  };
  const [apiPort, floorPort] = await Promise.all([freePort(), freePort()]);
  const [api, floor] = await Promise.all([
    // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API under load.
    startChild("api", "src/main.ts", join(root, "apps/api"), apiEnv, apiPort, "/readyz", (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean)),
    startChild("floor", join(benchDir, "floor-server.ts"), root, { ...process.env, NODE_ENV: "production" }, floorPort, "/floor/small"),
  ]);

  step(`logging in as ${fx.email}…`);
  const login = await fetch(`${api.baseUrl}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: fx.email, password: fx.password }),
  });
  const loginBody = (await login.json()) as { result?: { data?: { token?: string } } };
  const token = loginBody.result?.data?.token;
  if (login.status !== 200 || !token) throw new Error(`auth.login failed: ${login.status} ${JSON.stringify(loginBody)}`);
  setApiPid(api.process.pid);
  const ctx: Ctx = { api: api.baseUrl, floor: floor.baseUrl, token, fx, runId };

  // A sanity call every API has: the bench company's own branch.
  const branches = await fetch(`${api.baseUrl}/trpc/directory.branches`, { headers: auth(ctx) });
  if (branches.status !== 200) throw new Error(`directory.branches failed: ${branches.status} ${await branches.text()}`);
  await branches.arrayBuffer().catch(() => undefined);

  if (runs("reference")) await authenticatedReference(ctx);
  if (runs("availability") && (await availabilityWarm(ctx))) await availabilityCold(ctx);
  const booked = runs("bookings") || runs("contention") ? await bookings(ctx) : false;
  const contentionResults = booked && runs("contention") ? await contention(ctx) : [];
  const voiceBooked = runs("voice") ? await voice(ctx) : 0;
  if (runs("webhooks")) await webhookAck(ctx);
  // The worker (outbox relay + processors) starts only now, so the figures above are the API's alone.
  let workerStarted = false;
  const startWorker = async () => {
    if (workerStarted) return;
    workerStarted = true;
    const port = await freePort();
    await startChild("worker", "src/main.ts", join(root, "apps/worker"), { ...apiEnv, WORKER_HTTP_PORT: String(port), WORKER_HTTP_HOST: "127.0.0.1" }, port, "/readyz");
  };
  const relayBooked = booked && runs("relay") ? await relay(ctx, db, startWorker) : 0;
  if (runs("webhooks")) {
    await startWorker();
    await webhookProcessed(ctx, db);
  }

  step("verifying in SQL that no two active appointments of one staff member overlap…");
  const integrity = await verifyNoOverlap(db, fx.companyId, contentionResults.map((r) => r.slot));
  targets.push({ name: "SQL: no overlapping active appointments", pass: integrity.overlappingPairs === 0, actual: `${integrity.overlappingPairs} overlapping pairs` });
  if (contentionResults.length) {
    targets.push({
      name: "SQL: exactly one active appointment per contended slot",
      pass: integrity.activePerContentionSlot.every((n) => n === 1),
      actual: integrity.activePerContentionSlot.join(" / "),
    });
  }
  const expected = fx.seededAppointments + (booked ? booked.created : 0) + contentionResults.reduce((n, r) => n + r.successes, 0) + voiceBooked + relayBooked;

  const apiLogLines = tail(api.logFile, 100_000).split("\n").filter((l) => l.trim()).length;

  printTable();
  printTargets();
  console.log();
  console.log(
    `SQL: ${integrity.activeAppointments} active appointments (expected ${expected}: ${fx.seededAppointments} seeded + successful bookings), ` +
      `${integrity.overlappingPairs} overlapping pairs`,
  );
  if (integrity.activeAppointments !== expected) warn(`active appointments ${integrity.activeAppointments} ≠ expected ${expected}`);
  if (apiLogLines) warn(`the API wrote ${apiLogLines} log lines at level warn or above: ${api.logFile}`);

  const report = {
    timestamp: new Date().toISOString(),
    runId,
    quick: QUICK,
    durationSeconds: (Date.now() - started) / 1000,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
      node: process.version,
      loadAverage1mAtStart: Math.round(loadAtStart * 100) / 100,
      loadAverage1mAtEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    },
    config: CONFIG,
    targets: TARGETS,
    scenarios: rows,
    checks: targets,
    skipped,
    integrity: { ...integrity, expectedActiveAppointments: expected },
    apiLogLines,
  };
  const out = join(resultsDir, "latest.json");
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${out} (run took ${report.durationSeconds.toFixed(0)} s)`);
  return skipped.length === 0;
};

main()
  .then(async (complete) => {
    await cleanup();
    if (!complete) warn("some scenarios could not run (see SKIP above); exit 1");
    process.exit(complete ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    if (wasInterrupted()) return; // the signal handler cleans up and exits
    console.error(`${paint(31, "✗ bench failed:")} ${(error as Error).stack ?? String(error)}`);
    await cleanup();
    process.exit(1);
  });
