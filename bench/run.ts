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
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "@askproai/db";
import { Redis } from "ioredis";
import { createMigratedDatabase, dropDatabase, newRunId } from "@askproai/db/testing/databases";
import { CLOSE_MINUTE, OPEN_MINUTE, STAFF_COUNT, localDate, localInstant, seedBenchCompany, type BenchFixture } from "./fixture.js";
import { Client, burst, latencyStats, prewarmSockets, runLoad, statusHistogram, type BenchRequest, type LatencyStats, type Sample } from "./load.js";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, "..");
const resultsDir = join(benchDir, "results");

const QUICK = process.env.BENCH_QUICK === "1";
const scale = (n: number) => (QUICK ? Math.max(1, Math.round(n / 5)) : n);

const CONFIG = {
  reference: { count: scale(1000), concurrency: 8 },
  warm: { warmup: scale(300), count: scale(2000), maxMs: QUICK ? 4_000 : 20_000, concurrency: 8, days: 7 },
  cold: { days: 7, rangeDays: QUICK ? 36 : 180, maxMs: QUICK ? 6_000 : 30_000, concurrency: 2 },
  bookings: { warmup: scale(50), count: scale(3000), maxMs: QUICK ? 2_000 : 10_000, concurrency: 16 },
  contention: { requests: 200, slots: 3 },
  // Day offsets from tomorrow (see fixture.ts): seeded appointments live in 0–6.
  offsets: { bookings: 7, contention: 60, bookingWarmup: 90 },
};

const TARGETS = { warmRatio: 3, coldP95Ms: 30, contentionP99Ms: 250, bookingsPerSecond: 300 };

const tty = process.stdout.isTTY === true;
const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const step = (text: string) => console.log(`${paint(36, "▸")} ${text}`);
const warn = (text: string) => console.log(`${paint(33, "!")} ${text}`);

// ---------------------------------------------------------------------------------------------------
// Cleanup: runs once, on success, on error and on Ctrl-C / SIGTERM.

const cleanups: { name: string; fn: () => Promise<unknown> }[] = [];
const onCleanup = (name: string, fn: () => Promise<unknown>) => cleanups.push({ name, fn });
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const { name, fn } of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        warn(`cleanup "${name}" failed: ${(error as Error).message}`);
      }
    }
  })());

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log();
    warn(`${signal}: stopping and cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------
// Child processes

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const cpuSeconds = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
};

let apiPid: number | undefined;
/** Runs `fn` and reports how busy the API process was meanwhile, in % of one core. */
const withApiCpu = async <T extends { elapsedMs: number }>(fn: () => Promise<T>): Promise<T & { apiCpuPercent: number | null }> => {
  const before = cpuSeconds(apiPid);
  const result = await fn();
  const after = cpuSeconds(apiPid);
  return { ...result, apiCpuPercent: before === null || after === null ? null : ((after - before) / (result.elapsedMs / 1000)) * 100 };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tail = (file: string, lines = 30) => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
};

interface Child {
  process: ChildProcess;
  logFile: string;
  baseUrl: string;
}

const startChild = async (
  name: string,
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Child> => {
  const logFile = join(resultsDir, `${name}.log`);
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.once("open", resolve));
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], { cwd, env: { ...env, PORT: String(port) }, stdio: ["ignore", log, log] });
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `${signal ?? code}`));
  onCleanup(`stop ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    log.end();
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited during start-up (${exited}); log ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`${name} not ready after 60 s; log ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${baseUrl}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { process: child, logFile, baseUrl };
};

// ---------------------------------------------------------------------------------------------------
// tRPC over plain HTTP

interface TrpcError {
  message: string;
  data?: { code?: string; httpStatus?: number; [k: string]: unknown };
}

const parse = (body: string | undefined): { result?: { data: unknown }; error?: TrpcError } => {
  try {
    return JSON.parse(body ?? "") as { result?: { data: unknown }; error?: TrpcError };
  } catch {
    return {};
  }
};

const errorCode = (sample: Sample) => (sample.status === 0 ? `network: ${sample.error}` : (parse(sample.body).error?.data?.code ?? `HTTP ${sample.status}`));

const queryPath = (path: string, input: unknown) => `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

const isMissingProcedure = (sample: Sample) => sample.status === 404 && /procedure/i.test(parse(sample.body).error?.message ?? "");

// ---------------------------------------------------------------------------------------------------
// Results

interface Figures extends LatencyStats {
  requests: number;
  seconds: number;
  rps: number;
  statuses: Record<string, number>;
  /** How busy the API process was during the run, in % of one core (real runs only). */
  apiCpuPercent?: number | null;
}

interface Row {
  name: string;
  real: Figures;
  floor: Figures | null;
  floorPath: string;
  /** real p95 / floor p95 */
  ratioP95: number | null;
  notes: string;
  details?: Record<string, unknown>;
}

interface TargetResult {
  name: string;
  pass: boolean;
  actual: string;
}

const round = (n: number, digits: number) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

const figures = ({ samples, elapsedMs, apiCpuPercent }: { samples: Sample[]; elapsedMs: number; apiCpuPercent?: number | null }): Figures => {
  const stats = latencyStats(samples);
  return {
    ...(apiCpuPercent !== undefined ? { apiCpuPercent: apiCpuPercent === null ? null : round(apiCpuPercent, 1) } : {}),
    requests: samples.length,
    seconds: round(elapsedMs / 1000, 3),
    rps: round(samples.length / (elapsedMs / 1000), 1),
    statuses: statusHistogram(samples),
    ...(Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, k === "count" ? v : round(v, 3)])) as unknown as LatencyStats),
  };
};

const rows: Row[] = [];
const targets: TargetResult[] = [];
const skipped: string[] = [];

const addRow = (name: string, real: Figures, floor: Figures | null, floorPath: string, notes = "", details?: Record<string, unknown>) => {
  const row: Row = { name, real, floor, floorPath, ratioP95: floor && floor.p95 > 0 ? round(real.p95 / floor.p95, 3) : null, notes, ...(details ? { details } : {}) };
  rows.push(row);
  return row;
};

const ms = (n: number | undefined | null) => (n === undefined || n === null || Number.isNaN(n) ? "–" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

const printTable = () => {
  const header = ["scenario", "requests", "req/s", "p50", "p95", "p99", "floor p50", "floor p95", "floor p99", "p95/floor", "api cpu", "notes"];
  const body = rows.map((r) => [
    r.name,
    String(r.real.requests),
    r.real.rps.toFixed(0),
    ms(r.real.p50),
    ms(r.real.p95),
    ms(r.real.p99),
    ms(r.floor?.p50),
    ms(r.floor?.p95),
    ms(r.floor?.p99),
    r.ratioP95 === null ? "–" : `${r.ratioP95.toFixed(1)}×`,
    r.real.apiCpuPercent === undefined || r.real.apiCpuPercent === null ? "–" : `${r.real.apiCpuPercent.toFixed(0)}%`,
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const b of body) console.log(line(b));
  console.log("(latencies in ms; floor = bare Express 5 on the same machine, same client and concurrency; api cpu = % of one core)");
};

const printTargets = () => {
  console.log();
  console.log("targets");
  const width = Math.max(...targets.map((t) => t.name.length));
  for (const t of targets) console.log(`  ${t.pass ? paint(32, "PASS") : paint(31, "MISS")}  ${t.name.padEnd(width)}  ${t.actual}`);
  for (const s of skipped) console.log(`  ${paint(33, "SKIP")}  ${s}`);
};

// ---------------------------------------------------------------------------------------------------
// Scenarios

interface Ctx {
  api: string;
  floor: string;
  token: string;
  fx: BenchFixture;
  runId: string;
}

let phoneCounter = 0;
/** A fresh German mobile number per booking (E.164). */
const nextPhone = () => `+4917${String(++phoneCounter).padStart(9, "0")}`;

const createBody = (ctx: Ctx, staffId: string, start: string, label: string) =>
  JSON.stringify({
    branchId: ctx.fx.branchId,
    serviceId: ctx.fx.services.short,
    staffId,
    start,
    customer: { phone: nextPhone(), name: `Bench ${label}` },
    idempotencyKey: `bench-${ctx.runId}-${randomUUID()}`,
  });

const auth = (ctx: Ctx) => ({ authorization: `Bearer ${ctx.token}` });

/** Distinct 30-minute slots: staff round-robin first, then 30-min steps 08:00–20:00, then days. */
const distinctSlot = (ctx: Ctx, i: number, firstOffset: number) => {
  const perDay = (CLOSE_MINUTE - OPEN_MINUTE) / 30;
  const staffId = ctx.fx.staffIds[i % STAFF_COUNT]!;
  const j = Math.floor(i / STAFF_COUNT);
  return { staffId, start: localInstant(firstOffset + Math.floor(j / perDay), OPEN_MINUTE + (j % perDay) * 30) };
};

/** Probes a procedure once; false (and a SKIP line) when the API does not have it yet. */
const probe = async (ctx: Ctx, client: Client, path: string, req: BenchRequest) => {
  const sample = await client.send(req, true);
  if (isMissingProcedure(sample)) {
    skipped.push(`${path}: the API has no such procedure yet (404 ${parse(sample.body).error?.message ?? ""})`);
    warn(`${path} is not in the API yet; skipping its scenarios`);
    return null;
  }
  return sample;
};

/** Reference: the cheapest authenticated procedure (session lookup + one small query). */
const authenticatedReference = async (ctx: Ctx) => {
  const { count, concurrency } = CONFIG.reference;
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    step(`reference (directory.branches, authenticated): ${count} requests at concurrency ${concurrency}…`);
    const req: BenchRequest = { method: "GET", path: "/trpc/directory.branches", headers: auth(ctx) };
    await runLoad(api, { count: scale(100), concurrency, make: () => req });
    const real = figures(await withApiCpu(() => runLoad(api, { count, concurrency, make: () => req })));
    const floorReq: BenchRequest = { method: "GET", path: "/floor/small" };
    await runLoad(floor, { count: scale(100), concurrency, make: () => floorReq });
    const floorFigures = figures(await runLoad(floor, { count, concurrency, make: () => floorReq }));
    const bad = real.requests - (real.statuses["200"] ?? 0);
    addRow("ref: directory.branches", real, floorFigures, floorReq.path, `reference only${bad ? `, ${bad} non-200` : ""}`, { concurrency });
  } finally {
    api.close();
    floor.close();
  }
};

const availabilityWarm = async (ctx: Ctx) => {
  const { warmup, count, maxMs, concurrency, days } = CONFIG.warm;
  const input = { branchId: ctx.fx.branchId, serviceId: ctx.fx.services.short, from: localDate(0), days };
  const req: BenchRequest = { method: "GET", path: queryPath("availability.slots", input), headers: auth(ctx) };
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    const first = await probe(ctx, api, "availability.slots", req);
    if (!first) return false;
    if (first.status !== 200) throw new Error(`availability.slots answered ${first.status}: ${first.body}`);
    const answer = parse(first.body).result?.data as { slots?: unknown[] } | undefined;
    const slotCount = answer?.slots?.length ?? 0;
    const bytes = first.bytes;
    if (slotCount === 0) warn("availability.slots returned no slots for the bench week; check the seed");

    step(`availability warm: ${warmup} warm-up + ${count} requests (at most ${maxMs / 1000} s) at concurrency ${concurrency} (answer ${bytes} bytes, ${slotCount} slots)…`);
    await runLoad(api, { count: warmup, concurrency, make: () => req });
    const real = figures(await withApiCpu(() => runLoad(api, { count, concurrency, maxMs, make: () => req })));

    const floorReq: BenchRequest = { method: "GET", path: `/floor/same-size?bytes=${bytes}` };
    await runLoad(floor, { count: warmup, concurrency, make: () => floorReq });
    const floorFigures = figures(await runLoad(floor, { count: real.requests, concurrency, make: () => floorReq }));

    const bad = real.requests - (real.statuses["200"] ?? 0);
    const row = addRow("availability warm", real, floorFigures, floorReq.path.split("?")[0]!, `${bytes} B, ${slotCount} slots${bad ? `, ${bad} non-200` : ""}`, {
      concurrency,
      responseBytes: bytes,
      slots: slotCount,
    });
    targets.push({
      name: `availability warm p95 <= ${TARGETS.warmRatio}× floor p95`,
      pass: bad === 0 && row.ratioP95 !== null && row.ratioP95 <= TARGETS.warmRatio,
      actual: `${ms(real.p95)} ms vs ${ms(floorFigures.p95)} ms (${row.ratioP95?.toFixed(2)}×)${bad ? `, ${bad} non-200` : ""}`,
    });
    return true;
  } finally {
    api.close();
    floor.close();
  }
};

const availabilityCold = async (ctx: Ctx) => {
  const { days, rangeDays, maxMs, concurrency } = CONFIG.cold;
  // Every (from, service) once, in a shuffled but repeatable order; offset 0 + short service was the warm query.
  const inputs = [ctx.fx.services.short, ctx.fx.services.long].flatMap((serviceId) =>
    Array.from({ length: rangeDays }, (_, k) => ({ branchId: ctx.fx.branchId, serviceId, from: localDate(k + 1), days })),
  );
  let seed = 42;
  for (let i = inputs.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [inputs[i], inputs[j]] = [inputs[j]!, inputs[i]!];
  }
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    step(`availability cold: ${inputs.length} distinct queries (${rangeDays} start dates × 2 services, ${days} days each; at most ${maxMs / 1000} s) at concurrency ${concurrency}…`);
    const result = await withApiCpu(() =>
      runLoad(api, { count: inputs.length, concurrency, maxMs, make: (i) => ({ method: "GET", path: queryPath("availability.slots", inputs[i]), headers: auth(ctx) }) }),
    );
    const real = figures(result);
    const floorReq: BenchRequest = { method: "GET", path: "/floor/small" };
    await runLoad(floor, { count: scale(100), concurrency, make: () => floorReq });
    const floorFigures = figures(await runLoad(floor, { count: real.requests, concurrency, make: () => floorReq }));
    const bad = result.samples.filter((s) => s.status !== 200);
    if (bad.length) warn(`availability cold: ${bad.length} non-200 answers, first: ${bad[0]!.status} ${bad[0]!.body ?? bad[0]!.error}`);
    const cut = real.requests < inputs.length ? `, time cap hit (${real.requests}/${inputs.length})` : "";
    addRow("availability cold", real, floorFigures, floorReq.path, `${bad.length ? `${bad.length} non-200` : "every query a miss"}${cut}`, { concurrency, days, rangeDays, planned: inputs.length });
    targets.push({
      name: `availability cold p95 < ${TARGETS.coldP95Ms} ms`,
      pass: bad.length === 0 && real.p95 < TARGETS.coldP95Ms,
      actual: `${ms(real.p95)} ms${bad.length ? `, ${bad.length} non-200` : ""}`,
    });
  } finally {
    api.close();
    floor.close();
  }
};

const bookings = async (ctx: Ctx) => {
  const { warmup, count, maxMs, concurrency } = CONFIG.bookings;
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    const makeAt = (firstOffset: number, label: string) => (i: number): BenchRequest => {
      const { staffId, start } = distinctSlot(ctx, i, firstOffset);
      return { method: "POST", path: "/trpc/appointments.create", headers: auth(ctx), body: createBody(ctx, staffId, start, `${label} ${i}`) };
    };
    const first = await probe(ctx, api, "appointments.create", makeAt(CONFIG.offsets.bookingWarmup, "warm-up")(0));
    if (!first) return false;
    if (first.status !== 200) throw new Error(`appointments.create answered ${first.status}: ${first.body}`);

    step(`bookings: ${warmup} warm-up + up to ${count} bookings / ${maxMs / 1000} s on distinct slots at concurrency ${concurrency}…`);
    const warm = await runLoad(api, { count: warmup, concurrency, make: (i) => makeAt(CONFIG.offsets.bookingWarmup, "warm-up")(i + 1) });
    const warmBad = warm.samples.filter((s) => s.status !== 200).length;
    if (warmBad) warn(`bookings warm-up: ${warmBad} non-200 answers`);

    const result = await withApiCpu(() => runLoad(api, { count, concurrency, maxMs, make: makeAt(CONFIG.offsets.bookings, "booking") }));
    const real = figures(result);
    const bad = result.samples.filter((s) => s.status !== 200);
    if (bad.length) {
      warn(`bookings: ${bad.length} non-200 answers; the first ones:`);
      for (const s of bad.slice(0, 5)) console.log(`    ${s.status} ${s.body ?? s.error}`);
    }

    const echo = (i: number): BenchRequest => ({ method: "POST", path: "/floor/echo", body: createBody(ctx, ctx.fx.staffIds[0]!, localInstant(0, OPEN_MINUTE), `floor ${i}`) });
    await runLoad(floor, { count: warmup, concurrency, make: echo });
    const floorFigures = figures(await runLoad(floor, { count: real.requests, concurrency, make: echo }));
    addRow("bookings (distinct slots)", real, floorFigures, "/floor/echo", `${bad.length} non-200`, {
      concurrency,
      created: real.requests - bad.length,
      warmupCreated: warm.samples.length - warmBad,
      errors: Object.fromEntries(Object.entries(countBy(bad.map(errorCode)))),
    });
    targets.push({ name: `bookings/s >= ${TARGETS.bookingsPerSecond}`, pass: real.rps >= TARGETS.bookingsPerSecond, actual: `${real.rps.toFixed(0)}/s` });
    targets.push({ name: "bookings on distinct slots: every answer 200", pass: bad.length === 0, actual: `${bad.length} non-200 of ${real.requests}` });
    return { created: real.requests - bad.length + warm.samples.length - warmBad + 1 };
  } finally {
    api.close();
    floor.close();
  }
};

const countBy = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

interface ContentionSlot {
  staffId: string;
  start: string;
}

const contention = async (ctx: Ctx) => {
  const { requests, slots } = CONFIG.contention;
  const api = new Client(ctx.api, requests);
  const floor = new Client(ctx.floor, requests);
  const results: { slot: ContentionSlot; successes: number; conflicts: number; other: Record<string, number>; p99: number }[] = [];
  try {
    await prewarmSockets(api, requests, "/healthz");
    await prewarmSockets(floor, requests, "/healthz");
    for (let r = 0; r < slots; r++) {
      const slot: ContentionSlot = { staffId: ctx.fx.staffIds[r % STAFF_COUNT]!, start: localInstant(CONFIG.offsets.contention + r, 10 * 60) };
      step(`contention ${r + 1}/${slots}: ${requests} simultaneous bookings of ${slot.start} for staff ${r + 1}…`);
      const result = await withApiCpu(() =>
        burst(api, requests, (i) => ({ method: "POST", path: "/trpc/appointments.create", headers: auth(ctx), body: createBody(ctx, slot.staffId, slot.start, `contender ${i}`) })),
      );
      const real = figures(result);
      const successes = result.samples.filter((s) => s.status === 200).length;
      const conflicts = result.samples.filter((s) => s.status === 409).length;
      const others = result.samples.filter((s) => s.status !== 200 && s.status !== 409);
      const other = countBy(others.map((s) => `${s.status} ${errorCode(s)}`));
      if (others.length) {
        warn(`contention ${r + 1}: ${others.length} answers neither 200 nor 409; the first ones:`);
        for (const s of others.slice(0, 3)) console.log(`    ${s.status} ${s.body ?? s.error}`);
      }
      const floorFigures = figures(await burst(floor, requests, (i) => ({ method: "POST", path: "/floor/echo", body: createBody(ctx, slot.staffId, slot.start, `floor ${i}`) }), false));
      addRow(`contention slot ${r + 1}`, real, floorFigures, "/floor/echo", `ok=${successes} 409=${conflicts} other=${others.length}`, { slot, successes, conflicts, other });
      results.push({ slot, successes, conflicts, other, p99: real.p99 });
    }
    const exactlyOne = results.every((x) => x.successes === 1);
    const worstP99 = Math.max(...results.map((x) => x.p99));
    targets.push({ name: "contention: exactly one success per slot", pass: exactlyOne, actual: results.map((x) => `${x.successes}`).join(" / ") });
    targets.push({ name: `contention p99 < ${TARGETS.contentionP99Ms} ms (every slot)`, pass: worstP99 < TARGETS.contentionP99Ms, actual: results.map((x) => `${ms(x.p99)}`).join(" / ") + " ms" });
    return results;
  } finally {
    api.close();
    floor.close();
  }
};

/** No two active appointments of one staff member overlap (read back from PostgreSQL). */
const verifyNoOverlap = async (db: Db, companyId: string, contentionSlots: ContentionSlot[]) => {
  const [overlaps] = await db.$queryRaw<{ pairs: number }[]>`
    SELECT count(*)::int AS pairs
    FROM appointments a
    JOIN appointments b ON a.staff_id = b.staff_id AND a.id < b.id
    WHERE a.company_id = ${companyId}::uuid
      AND a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')
      AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`;
  const [active] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM appointments WHERE company_id = ${companyId}::uuid AND status NOT IN ('cancelled', 'failed')`;
  const perSlot: number[] = [];
  for (const slot of contentionSlots) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments
      WHERE company_id = ${companyId}::uuid AND staff_id = ${slot.staffId}::uuid AND starts_at = ${new Date(slot.start)}
        AND status NOT IN ('cancelled', 'failed')`;
    perSlot.push(row?.n ?? -1);
  }
  return { overlappingPairs: overlaps?.pairs ?? -1, activeAppointments: active?.n ?? -1, activePerContentionSlot: perSlot };
};

// ---------------------------------------------------------------------------------------------------

const main = async () => {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const runId = newRunId();
  const dbName = `askproai_bench_${runId}`;
  const redisPrefix = `askproai-bench-${runId}:`;
  console.log(`AskProAI bench ${runId}${QUICK ? " (BENCH_QUICK=1: about 5× fewer requests)" : ""}`);
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
  onCleanup("delete redis keys", async () => {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await redis.connect();
    try {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== "0");
    } finally {
      redis.disconnect();
    }
  });

  step("starting API (child process) and floor server (child process)…");
  const apiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    RETELL_API_KEY: "bench-retell-api-key",
    CALCOM_WEBHOOK_SECRET: "bench-calcom-webhook-secret",
    STRIPE_WEBHOOK_SECRET: "whsec_bench_stripe_webhook_secret",
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
  apiPid = api.process.pid;
  const ctx: Ctx = { api: api.baseUrl, floor: floor.baseUrl, token, fx, runId };

  // A sanity call every API has: the bench company's own branch.
  const branches = await fetch(`${api.baseUrl}/trpc/directory.branches`, { headers: auth(ctx) });
  if (branches.status !== 200) throw new Error(`directory.branches failed: ${branches.status} ${await branches.text()}`);
  await branches.arrayBuffer().catch(() => undefined);

  await authenticatedReference(ctx);
  if (await availabilityWarm(ctx)) await availabilityCold(ctx);
  const booked = await bookings(ctx);
  const contentionResults = booked ? await contention(ctx) : [];

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
  const expected = fx.seededAppointments + (booked ? booked.created : 0) + contentionResults.reduce((n, r) => n + r.successes, 0);

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
    if (interrupted) return; // the signal handler cleans up and exits
    console.error(`${paint(31, "✗ bench failed:")} ${(error as Error).stack ?? String(error)}`);
    await cleanup();
    process.exit(1);
  });
