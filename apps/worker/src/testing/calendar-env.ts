/** The calendar worker tests' surroundings: scratch database, Cal.com stand-in, connected companies, what Cal.com holds. */
import { contextFor, createDomainDeps, poolOf, type OperationContext } from "@askproai/db";
import {
  TEST_EVENT_TYPES, connectCalendar, createFixtureCompany, createScratchDatabase, testCalcomKey, type FixtureCompany, type ScratchDatabase,
} from "@askproai/db/testing";
import { startCalcomStandIn, type CalcomStandIn } from "@askproai/stand-ins";
import { afterAll, afterEach, beforeAll } from "vitest";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const useCalendarEnv = () => {
  const env = { cleanup: [] as (() => Promise<unknown>)[] } as { scratch: ScratchDatabase; calcom: CalcomStandIn; cleanup: (() => Promise<unknown>)[] };
  beforeAll(async () => {
    env.scratch = await createScratchDatabase();
    env.calcom = await startCalcomStandIn({ apiKeys: [], eventTypes: { [TEST_EVENT_TYPES.short]: 30, [TEST_EVENT_TYPES.long]: 90 }, rateLimit: false, echoApiChanges: false });
  });
  afterEach(async () => {
    for (const step of env.cleanup.splice(0).reverse()) await step().catch(() => undefined);
    env.calcom.faults.clear();
  });
  afterAll(async () => {
    await env.calcom?.close();
    await env.scratch?.drop();
  });
  let seq = 0;
  return {
    env,
    ctxOf: (f: FixtureCompany, correlationId = `cal-${seq++}`): OperationContext =>
      contextFor(createDomainDeps(env.scratch.db, null), { companyId: f.companyId, correlationId, actor: { type: "system" }, source: "api" }),
    /** A company with sync on, its own Cal.com key (one stand-in user each), services mapped. */
    connected: async (staffCount = 1) => {
      const f = await createFixtureCompany(env.scratch.db, { staffCount });
      const key = testCalcomKey();
      env.calcom.addApiKey(key);
      await connectCalendar(env.scratch.db, f, key);
      return { f, key };
    },
    syncRow: async (id: string) =>
      (await poolOf(env.scratch.db).query<{ status: string; uid: string | null; error: string | null; version: number }>(
        `SELECT calendar_sync_status::text AS status, calcom_booking_uid AS uid, calendar_sync_error AS error, version FROM appointments WHERE id = $1`, [id],
      )).rows[0]!,
    bookingsOf: (key: string, appointmentId?: string) =>
      env.calcom.bookings().filter((b) => b.apiKey === key && (appointmentId === undefined || b.booking.metadata.askproaiAppointmentId === appointmentId)),
    requestsOf: (key: string, method?: string) =>
      env.calcom.requests.filter((r) => r.headers.authorization === `Bearer ${key}` && (method === undefined || r.method === method)),
  };
};
