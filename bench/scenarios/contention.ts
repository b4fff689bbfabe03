/** Many bookings of one slot at once: exactly one wins, the rest answer fast; checked again in SQL. */
import { Client } from "../load.js";
import { auth, CONFIG, TARGETS, type Ctx } from "../harness/context.js";
import { step, warn, withApiCpu } from "../harness/process.js";
import { addRow, countBy, figures, ms, targets } from "../harness/report.js";
import type { Db } from "@askproai/db";
import { STAFF_COUNT, localInstant } from "../fixture.js";
import { createBody } from "../harness/context.js";
import { errorCode } from "../harness/trpc.js";
import { burst, prewarmSockets } from "../load.js";


export interface ContentionSlot {
  staffId: string;
  start: string;
}

export const contention = async (ctx: Ctx) => {
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
export const verifyNoOverlap = async (db: Db, companyId: string, contentionSlots: ContentionSlot[]) => {
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

