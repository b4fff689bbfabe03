/** availability.slots, warm (cached) and cold (computed), beside the floor. */
import { Client, runLoad, type BenchRequest } from "../load.js";
import { auth, CONFIG, scale, TARGETS, type Ctx } from "../harness/context.js";
import { step, warn, withApiCpu } from "../harness/process.js";
import { addRow, figures, ms, targets } from "../harness/report.js";
import { localDate } from "../fixture.js";
import { parse, queryPath } from "../harness/trpc.js";
import { probe } from "../harness/context.js";

export const availabilityWarm = async (ctx: Ctx) => {
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

export const availabilityCold = async (ctx: Ctx) => {
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
