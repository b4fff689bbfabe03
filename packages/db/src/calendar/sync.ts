/**
 * Outbound sync of one appointment to Cal.com, in the worker (never in a booking request). State-based:
 * whatever job triggered it (create, reschedule, cancel, a retry, a stale job of an old version, the
 * reconciliation), it reads the appointment as it is NOW, asks Cal.com what it has, and does what is
 * needed to make them agree. Runs under a per-appointment advisory lock, so syncs of one appointment run
 * one after another (a cancel can never overtake its create: it finds nothing to cancel, and the create
 * that comes later finds a cancelled appointment and creates nothing).
 *
 * Exactly one Cal.com booking per appointment: Cal.com has no idempotency key, and a create that timed
 * out may have been stored. So before creating, the appointment's booking is looked for by
 * `metadata.askproaiAppointmentId` among the bookings of its event type created since the appointment
 * was (found → adopted; more than one → the extra ones are cancelled). A reschedule whose answer was lost
 * is found by following `rescheduledToUid` from the stored uid.
 */
import type { OperationContext } from "../context.js";
import { writeOutboxAndAudit } from "../outbox/write.js";
import type { Queryable } from "../sql.js";
import { BrokenCircuitError } from "cockatiel";
import { CalcomRejected, CalcomRetryable, appointmentIdOf, isLive, type CalcomBooking, type CalcomClient } from "./client.js";
import { calcomClientFor, SyncRefused, type CalendarRuntime } from "./runtime.js";

export interface SyncFacts {
  id: string;
  status: string;
  source: string;
  version: number;
  startsAt: Date;
  createdAt: Date;
  calcomBookingUid: string | null;
  syncStatus: string;
  syncEnabled: boolean;
  apiKeyEncrypted: string | null;
  eventTypeId: number | null;
  serviceName: string;
  timezone: string;
  customerName: string;
  customerPhone: string;
  customerEmail: string | null;
  createStartedAt: Date | null;
}

export type SyncOutcome = "created" | "adopted" | "rescheduled" | "cancelled" | "unchanged" | "skipped";

export interface SyncResult {
  outcome: SyncOutcome;
  uid: string | null;
  detail?: string;
  /** Extra bookings of this appointment found in Cal.com and cancelled. */
  duplicatesCancelled?: number;
}

const ACTIVE = new Set(["pending", "confirmed"]);
const PAST = new Set(["completed", "no_show"]);

export const loadSyncFacts = async (tx: Queryable, companyId: string, appointmentId: string): Promise<SyncFacts | null> => {
  const { rows } = await tx.query<SyncFacts>({
    name: "askproai_calendar_sync_facts",
    text: `SELECT a.id, a.status::text AS status, a.source::text AS source, a.version, a.starts_at AS "startsAt", a.created_at AS "createdAt",
             a.calcom_booking_uid AS "calcomBookingUid", a.calendar_sync_status::text AS "syncStatus",
             c.calcom_sync_enabled AS "syncEnabled", cc.api_key_encrypted AS "apiKeyEncrypted",
             s.calcom_event_type_id AS "eventTypeId", s.name AS "serviceName", b.timezone,
             cu.name AS "customerName", cu.phone AS "customerPhone", cu.email AS "customerEmail", a.calendar_create_started_at AS "createStartedAt"
           FROM appointments a
           JOIN companies c ON c.id = a.company_id
           LEFT JOIN calendar_connections cc ON cc.company_id = a.company_id
           JOIN services s ON s.id = a.service_id AND s.company_id = a.company_id
           JOIN branches b ON b.id = a.branch_id AND b.company_id = a.company_id
           JOIN customers cu ON cu.id = a.customer_id AND cu.company_id = a.company_id
           WHERE a.id = $1::uuid AND a.company_id = $2::uuid`,
    values: [appointmentId, companyId],
  });
  return rows[0] ?? null;
};

/** The appointment's live bookings found by `metadata.askproaiAppointmentId`, oldest first. */
const searchByMetadata = async (client: CalcomClient, f: SyncFacts): Promise<CalcomBooking[]> => {
  const found: CalcomBooking[] = [];
  // Every booking of this appointment was created after the appointment (a minute of clock skew allowed).
  const afterCreatedAt = new Date(f.createdAt.getTime() - 60_000).toISOString();
  for (let skip = 0; skip < 5_000; skip += 100) {
    const page = await client.list({ eventTypeId: f.eventTypeId!, afterCreatedAt, take: 100, skip });
    found.push(...page.bookings.filter((b) => appointmentIdOf(b) === f.id && isLive(b)));
    if (!page.hasNextPage) break;
  }
  return found.sort((a, b) => a.id - b.id);
};

/**
 * The appointment's live booking in Cal.com, if any. Without a stored uid (or with `repair`, the
 * reconciliation's check), the metadata search runs too, and extra live bookings are cancelled.
 */
const findRemote = async (client: CalcomClient, f: SyncFacts, repair: boolean): Promise<{ booking: CalcomBooking | null; duplicatesCancelled: number }> => {
  let known: CalcomBooking | null = null;
  let lookedUp = false;
  if (f.calcomBookingUid) {
    let booking = await client.get(f.calcomBookingUid);
    // A reschedule whose answer was lost: the stored booking is cancelled and points at its successor.
    for (let hops = 0; booking && !isLive(booking) && booking.rescheduledToUid && hops < 10; hops++) booking = await client.get(booking.rescheduledToUid);
    lookedUp = booking !== null;
    known = booking && isLive(booking) ? booking : null;
    // Cal.com does not know the stored uid: fall back to the metadata search below.
  }
  if ((lookedUp && !repair) || f.source === "calcom" || f.eventTypeId === null) return { booking: known, duplicatesCancelled: 0 };
  // No create was ever sent for it (the mark is committed before each one): nothing to look for, and
  // Cal.com's rate limit (120 a minute per key) is not spent on a search that cannot find anything.
  if (!f.calcomBookingUid && !f.createStartedAt && !repair) return { booking: null, duplicatesCancelled: 0 };
  const found = await searchByMetadata(client, f);
  const keep = known ?? found[0] ?? null;
  const extra = found.filter((b) => b.uid !== keep?.uid);
  for (const b of extra) await client.cancel(b.uid, "Duplicate of another booking of the same AskProAI appointment");
  return { booking: keep, duplicatesCancelled: extra.length };
};

const createBody = (f: SyncFacts) => ({
  start: f.startsAt.toISOString(),
  eventTypeId: f.eventTypeId!,
  attendee: { name: f.customerName, timeZone: f.timezone, phoneNumber: f.customerPhone, ...(f.customerEmail ? { email: f.customerEmail } : {}), language: "de" as const },
  metadata: { askproaiAppointmentId: f.id },
});

const persist = async (tx: Queryable, ctx: OperationContext, f: SyncFacts, result: SyncResult) => {
  // A change made meanwhile (a newer version) has its own job coming: leave the status pending for it.
  await tx.query({
    name: "askproai_calendar_synced",
    text: `UPDATE appointments SET calcom_booking_uid = $3,
             calendar_sync_status = CASE WHEN version = $4 THEN 'synced'::calendar_sync_status ELSE calendar_sync_status END,
             calendar_synced_at = now(), calendar_sync_error = NULL
           WHERE id = $1::uuid AND company_id = $2::uuid`,
    values: [f.id, ctx.companyId, result.uid, f.version],
  });
  if (result.outcome !== "unchanged" && result.outcome !== "skipped") {
    await writeOutboxAndAudit(tx, ctx, {
      appointmentId: f.id,
      events: [],
      action: "synced",
      changes: { calendar: result.outcome, calcomBookingUid: result.uid, ...(result.duplicatesCancelled ? { duplicatesCancelled: result.duplicatesCancelled } : {}) },
    });
  }
};

/**
 * Makes Cal.com agree with the appointment as it is now. Throws SyncRefused (do not retry), or the
 * client's CalcomRetryable / CalcomRejected, or BrokenCircuitError while the company's breaker is open.
 */
export const syncAppointment = async (ctx: OperationContext, runtime: CalendarRuntime, appointmentId: string, options: { repair?: boolean } = {}): Promise<SyncResult> =>
  ctx.sql.transaction(async (tx) => {
    // Syncs of one appointment, in any worker process, run one after another.
    await tx.query({ text: "SET LOCAL lock_timeout = '30s'" });
    await tx.query({ text: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", values: [`calendar-sync:${appointmentId}`] });
    const f = await loadSyncFacts(tx, ctx.companyId, appointmentId);
    if (!f) return { outcome: "skipped", uid: null, detail: "no such appointment" };
    if (!f.syncEnabled && !f.calcomBookingUid) return { outcome: "skipped", uid: null, detail: "Cal.com sync is off" };
    if (f.eventTypeId === null && f.source !== "calcom") throw new SyncRefused(`the service "${f.serviceName}" has no Cal.com event type (calendar.setMappings)`);
    const client = calcomClientFor(ctx, runtime, f.apiKeyEncrypted);
    const { booking: remote, duplicatesCancelled } = await findRemote(client, f, options.repair === true);

    let result: SyncResult;
    if (PAST.has(f.status)) {
      result = { outcome: "unchanged", uid: remote?.uid ?? f.calcomBookingUid };
    } else if (!ACTIVE.has(f.status)) {
      if (remote) await client.cancel(remote.uid, "Cancelled in AskProAI");
      result = { outcome: remote ? "cancelled" : "unchanged", uid: remote?.uid ?? f.calcomBookingUid };
    } else if (!remote) {
      if (f.source === "calcom") throw new SyncRefused("the Cal.com booking this appointment came from no longer exists");
      // An earlier create whose answer was lost (a timeout, a worker killed mid-request) may still land:
      // no second create until it cannot be in flight any more.
      const graceMs = runtime.inFlightGraceMs ?? (runtime.timeoutMs ?? 10_000) + 5_000;
      const sinceLast = f.createStartedAt ? ctx.now() - f.createStartedAt.getTime() : Number.POSITIVE_INFINITY;
      if (sinceLast < graceMs) throw new CalcomRetryable("an earlier create may still be in flight", null, graceMs - sinceLast);
      await ctx.sql.query({
        text: "UPDATE appointments SET calendar_create_started_at = now() WHERE id = $1::uuid AND company_id = $2::uuid",
        values: [f.id, ctx.companyId],
      });
      let created: CalcomBooking;
      try {
        created = await client.create(createBody(f));
      } catch (error) {
        // Certainly not stored (refused, rate limited, never sent, breaker open): no in-flight wait next time.
        const notStored = error instanceof CalcomRejected || error instanceof BrokenCircuitError || (error instanceof CalcomRetryable && !error.maybeDone && error.status !== 409);
        if (notStored) {
          await ctx.sql.query({ text: "UPDATE appointments SET calendar_create_started_at = NULL WHERE id = $1::uuid AND company_id = $2::uuid", values: [f.id, ctx.companyId] });
        }
        throw error;
      }
      result = { outcome: "created", uid: created.uid };
    } else if (Date.parse(remote.start) !== f.startsAt.getTime()) {
      const moved = await client.reschedule(remote.uid, f.startsAt.toISOString(), "Moved in AskProAI");
      result = { outcome: "rescheduled", uid: moved.uid };
    } else {
      result = { outcome: remote.uid === f.calcomBookingUid ? "unchanged" : "adopted", uid: remote.uid };
    }
    if (duplicatesCancelled) result.duplicatesCancelled = duplicatesCancelled;
    await persist(tx, ctx, f, result);
    ctx.log.info({ appointmentId, outcome: result.outcome, calcomUid: result.uid, version: f.version }, "calendar sync");
    return result;
  });

/** The sync could not succeed (refused, or retries exhausted): failed, with the reason for the desk. */
export const markSyncFailed = async (ctx: Pick<OperationContext, "sql" | "companyId">, appointmentId: string, reason: string) => {
  await ctx.sql.query({
    name: "askproai_calendar_failed",
    text: `UPDATE appointments SET calendar_sync_status = 'failed', calendar_sync_error = left($3, 500)
           WHERE id = $1::uuid AND company_id = $2::uuid AND calendar_sync_status <> 'not_required'`,
    values: [appointmentId, ctx.companyId, reason],
  });
};

/** A retry is coming: the status stays pending, the reason is shown meanwhile. */
export const noteSyncRetry = async (ctx: Pick<OperationContext, "sql" | "companyId">, appointmentId: string, reason: string) => {
  await ctx.sql.query({
    name: "askproai_calendar_retry",
    text: `UPDATE appointments SET calendar_sync_status = CASE WHEN calendar_sync_status = 'failed' THEN 'pending' ELSE calendar_sync_status END,
             calendar_sync_error = left($3, 500)
           WHERE id = $1::uuid AND company_id = $2::uuid AND calendar_sync_status <> 'not_required'`,
    values: [appointmentId, ctx.companyId, `will retry: ${reason}`],
  });
};

/** The booking's correlation id, so a sync queued without one (the reconciliation's) is logged under it. */
export const appointmentCorrelationId = async (ctx: Pick<OperationContext, "sql" | "companyId">, appointmentId: string): Promise<string | null> =>
  (await ctx.sql.query<{ c: string }>({ text: "SELECT correlation_id AS c FROM appointments WHERE id = $1::uuid AND company_id = $2::uuid", values: [appointmentId, ctx.companyId] })).rows[0]?.c ?? null;
