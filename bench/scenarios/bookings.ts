/** Bookings on distinct slots: throughput and latency of appointments.create. */
import { Client, runLoad, type BenchRequest } from "../load.js";
import { auth, CONFIG, TARGETS, type Ctx } from "../harness/context.js";
import { step, warn, withApiCpu } from "../harness/process.js";
import { addRow, countBy, figures, targets } from "../harness/report.js";
import { OPEN_MINUTE, localInstant } from "../fixture.js";
import { createBody, distinctSlot, probe } from "../harness/context.js";
import { errorCode } from "../harness/trpc.js";

export const bookings = async (ctx: Ctx) => {
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
