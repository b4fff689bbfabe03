/**
 * The voice agent's two hot functions over signed HTTP, as Retell sends them: check_availability
 * (every call new, so each answer is computed and its five slots held) and book_appointment (distinct
 * slots, staff named as a caller says it). Each beside the floor echoing a body of the same size.
 */
import { randomBytes } from "node:crypto";
import { signRetell } from "@askproai/shared/server";
import { BENCH_PHONE_NUMBER, localDate } from "../fixture.js";
import { BENCH_SECRETS, CONFIG, TARGETS, distinctSlot, nextPhone, type Ctx } from "../harness/context.js";
import { step, warn, withApiCpu } from "../harness/process.js";
import { addRow, countBy, figures, targets } from "../harness/report.js";
import { Client, runLoad, type BenchRequest } from "../load.js";

const PATH = "/voice/retell/functions";

const functionCall = (name: string, args: Record<string, unknown>) => {
  const body = JSON.stringify({
    name,
    call: { call_id: `bench_${randomBytes(6).toString("hex")}`, agent_id: "bench", call_type: "phone_call", direction: "inbound", from_number: nextPhone(), to_number: BENCH_PHONE_NUMBER },
    args,
  });
  return { method: "POST", path: PATH, headers: { "x-retell-signature": signRetell(body, BENCH_SECRETS.RETELL_API_KEY) }, body } satisfies BenchRequest;
};

/** One signed request per index: checks spread over days and hours, bookings on distinct slots. */
const checkAt = (i: number) =>
  functionCall("check_availability", {
    service: "Kurz",
    date: localDate(CONFIG.offsets.voiceChecks + (i % CONFIG.voice.days)),
    time: `${String(9 + (i % 10)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`,
  });

const bookAt = (ctx: Ctx, i: number) => {
  const { staffId, start } = distinctSlot(ctx, i, CONFIG.offsets.voiceBookings);
  return functionCall("book_appointment", { service: "Kurz (30 min)", start, staff: `Bench Staff ${ctx.fx.staffIds.indexOf(staffId) + 1}`, customer_name: `Bench Caller ${i}` });
};

const notOk = (body: string | undefined) => {
  try {
    const answer = JSON.parse(body ?? "") as { ok?: boolean; reason?: string };
    return answer.ok === true ? null : (answer.reason ?? "no ok");
  } catch {
    return "not json";
  }
};

const measure = async (ctx: Ctx, label: string, make: (i: number) => BenchRequest, p95TargetMs: number) => {
  const { warmup, count, maxMs, concurrency } = CONFIG.voice;
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    step(`${label}: ${warmup} warm-up + up to ${count} signed calls / ${maxMs / 1000} s at concurrency ${concurrency}…`);
    const warm = await runLoad(api, { count: warmup, concurrency, make: (i) => make(count + i), keepBody: true });
    const warmOk = warm.samples.filter((s) => s.status === 200 && notOk(s.body) === null).length;
    const result = await withApiCpu(() => runLoad(api, { count, concurrency, maxMs, make, keepBody: true }));
    const real = figures(result);
    const failed = result.samples.map((s) => (s.status === 200 ? notOk(s.body) : `HTTP ${s.status}`)).filter((r): r is string => r !== null);
    if (failed.length) warn(`${label}: ${failed.length} answers not ok (${JSON.stringify(countBy(failed))})`);

    const echo = (i: number): BenchRequest => ({ method: "POST", path: "/floor/echo", body: make(i).body });
    await runLoad(floor, { count: warmup, concurrency, make: echo });
    const floorFigures = figures(await runLoad(floor, { count: real.requests, concurrency, make: echo }));
    const row = addRow(label, real, floorFigures, "/floor/echo", `${failed.length} not ok`, { concurrency, notOk: countBy(failed) });
    targets.push({ name: `${label} p95 < ${p95TargetMs} ms`, pass: real.p95 < p95TargetMs, actual: `${real.p95.toFixed(1)} ms` });
    targets.push({
      name: `${label} p95 within ${TARGETS.voiceFloorRatio}× floor`,
      pass: row.ratioP95 !== null && row.ratioP95 <= TARGETS.voiceFloorRatio,
      actual: row.ratioP95 === null ? "no floor" : `${row.ratioP95.toFixed(1)}×`,
    });
    targets.push({ name: `${label}: every answer ok`, pass: failed.length === 0, actual: `${failed.length} not ok of ${real.requests}` });
    return real.requests - failed.length + warmOk;
  } finally {
    api.close();
    floor.close();
  }
};

/** Both scenarios; the number of appointments booked (warm-up included), for the SQL check. */
export const voice = async (ctx: Ctx) => {
  await measure(ctx, "voice check_availability", checkAt, TARGETS.voiceCheckP95Ms);
  // Warm-up bookings use indices past `count`, so they never take a measured slot.
  return measure(ctx, "voice book_appointment", (i) => bookAt(ctx, i), TARGETS.voiceBookP95Ms);
};
