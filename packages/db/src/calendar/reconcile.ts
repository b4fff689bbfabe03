/**
 * Reconciliation: Cal.com sends each webhook once and never retries, and a sync job can be lost with
 * Redis. So the worker periodically lists each syncing company's Cal.com bookings for the coming weeks
 * and repairs both directions:
 * - inbound: every live booking made directly in Cal.com is applied (blocks, moves; idempotent), and a
 *   block here whose Cal.com booking is no longer live in the window is released;
 * - outbound: an active appointment here without exactly one live booking of its own at its time, a
 *   booking of ours whose appointment is cancelled or moved, and a sync left pending or failed, each get
 *   a sync job (in repair mode: extra bookings of one appointment are cancelled).
 */
import { poolOf, type Db } from "../client.js";
import type { OperationContext } from "../context.js";
import { appointmentIdOf, isLive, type CalcomBooking } from "./client.js";
import { applyInboundBooking, inboundFromApi, type InboundOutcome } from "./inbound.js";
import { calcomClientFor, type CalendarRuntime } from "./runtime.js";

export interface ReconcileResult {
  listed: number;
  inbound: Partial<Record<InboundOutcome, number>>;
  /** Appointments whose sync should run (in repair mode). */
  toSync: string[];
}

export interface ReconcileOptions {
  /** How far ahead (default 28 days). */
  horizonDays?: number;
  /** A pending or failed sync older than this is run again (default 2 minutes). */
  staleSyncMs?: number;
}

/** Companies whose calendar the worker reconciles: sync on and a key stored. */
export const syncingCompanies = async (db: Db): Promise<string[]> =>
  (await poolOf(db).query<{ id: string }>(
    `SELECT c.id FROM companies c JOIN calendar_connections cc ON cc.company_id = c.id
     WHERE c.calcom_sync_enabled AND cc.api_key_encrypted IS NOT NULL AND c.suspended_at IS NULL ORDER BY c.id`,
  )).rows.map((r) => r.id);

export const reconcileCompany = async (ctx: OperationContext, runtime: CalendarRuntime, options: ReconcileOptions = {}): Promise<ReconcileResult> => {
  const { rows } = await ctx.sql.query<{ key: string | null; enabled: boolean }>({
    text: `SELECT cc.api_key_encrypted AS key, c.calcom_sync_enabled AS enabled FROM companies c LEFT JOIN calendar_connections cc ON cc.company_id = c.id WHERE c.id = $1::uuid`,
    values: [ctx.companyId],
  });
  const result: ReconcileResult = { listed: 0, inbound: {}, toSync: [] };
  if (!rows[0]?.enabled || !rows[0].key) return result;
  const client = calcomClientFor(ctx, runtime, rows[0].key);
  const from = new Date(ctx.now());
  const to = new Date(ctx.now() + (options.horizonDays ?? 28) * 86_400_000);

  const bookings: CalcomBooking[] = [];
  for (let skip = 0; skip < 20_000; skip += 100) {
    const page = await client.list({ afterStart: from.toISOString(), beforeEnd: to.toISOString(), take: 100, skip });
    bookings.push(...page.bookings);
    if (!page.hasNextPage) break;
  }
  result.listed = bookings.length;
  const live = bookings.filter(isLive);

  // Inbound: bookings made in Cal.com, oldest first (a reschedule's successor after its predecessor).
  const count = (outcome: InboundOutcome) => (result.inbound[outcome] = (result.inbound[outcome] ?? 0) + 1);
  for (const b of live.filter((x) => !appointmentIdOf(x)).sort((x, y) => x.id - y.id)) {
    count((await ctx.sql.transaction((tx) => applyInboundBooking(tx, ctx, inboundFromApi(b)))).outcome);
  }
  const liveUids = new Set(live.map((b) => b.uid));
  const { rows: blocks } = await ctx.sql.query<{ uid: string; startsAt: Date; endsAt: Date }>({
    text: `SELECT calcom_booking_uid AS uid, starts_at AS "startsAt", ends_at AS "endsAt" FROM appointments
           WHERE company_id = $1::uuid AND source = 'calcom' AND status IN ('pending', 'confirmed') AND calcom_booking_uid IS NOT NULL
             AND starts_at >= $2 AND ends_at <= $3`,
    values: [ctx.companyId, from, to],
  });
  for (const block of blocks.filter((x) => !liveUids.has(x.uid))) {
    const gone = { uid: block.uid, rescheduledFromUid: null, start: block.startsAt, end: block.endsAt, live: false, hostUserId: null, eventTypeId: null, ownAppointmentId: null, attendee: { name: null, email: null, phone: null } };
    count((await ctx.sql.transaction((tx) => applyInboundBooking(tx, ctx, gone))).outcome);
  }

  // Outbound: what Cal.com has of ours against what is booked here.
  const ours = new Map<string, CalcomBooking[]>();
  for (const b of live) {
    const id = appointmentIdOf(b);
    if (id) ours.set(id, [...(ours.get(id) ?? []), b]);
  }
  const { rows: local } = await ctx.sql.query<{ id: string; startsAt: Date; uid: string | null; status: string; syncStatus: string; stale: boolean }>({
    text: `SELECT id, starts_at AS "startsAt", calcom_booking_uid AS uid, status::text AS status, calendar_sync_status::text AS "syncStatus",
             updated_at < now() - make_interval(secs => $4::double precision / 1000) AS stale
           FROM appointments
           WHERE company_id = $1::uuid AND source <> 'calcom' AND calendar_sync_status <> 'not_required'
             AND ((starts_at >= $2 AND starts_at < $3) OR id = ANY($5::uuid[]) OR calendar_sync_status IN ('pending', 'failed'))`,
    values: [ctx.companyId, from, to, options.staleSyncMs ?? 120_000, [...ours.keys()]],
  });
  const toSync = new Set<string>();
  for (const a of local) {
    const mine = ours.get(a.id) ?? [];
    const active = a.status === "pending" || a.status === "confirmed";
    const inWindow = a.startsAt >= from && a.startsAt < to;
    const agrees = active
      ? !inWindow || (mine.length === 1 && mine[0]!.uid === a.uid && Date.parse(mine[0]!.start) === a.startsAt.getTime())
      : mine.length === 0;
    if (!agrees || ((a.syncStatus === "pending" || a.syncStatus === "failed") && a.stale)) toSync.add(a.id);
  }
  result.toSync = [...toSync];
  await ctx.sql.query({
    text: `INSERT INTO calendar_connections (company_id, reconciled_at, created_at, updated_at) VALUES ($1::uuid, now(), now(), now())
           ON CONFLICT (company_id) DO UPDATE SET reconciled_at = now(), updated_at = now()`,
    values: [ctx.companyId],
  });
  ctx.log.info({ companyId: ctx.companyId, listed: result.listed, inbound: result.inbound, toSync: result.toSync.length }, "calendar reconciled");
  return result;
};
