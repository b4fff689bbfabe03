/**
 * Inbound from Cal.com: a booking made (moved, cancelled) directly in Cal.com for a mapped staff member
 * blocks that time here as an appointment with source `calcom`, under the same EXCLUDE guard as every
 * booking. A clash with a local appointment is recorded in `calendar_conflicts` for the desk, never an
 * overlap. Our own bookings echoed back (our appointment id in the metadata, or a uid one of our
 * appointments keeps) are ignored. Runs inside the caller's transaction (the webhook processor's, or
 * the reconciliation's), each write behind a savepoint, and raises the availability version of the
 * staff member's branches in the same transaction, so `availability.slots` reflects it at once.
 */
import type { OperationContext } from "../context.js";
import { classifyDbError } from "../errors.js";
import { bumpAvailability } from "../availability/versions.js";
import { writeOutboxAndAudit } from "../outbox/write.js";
import type { Queryable } from "../sql.js";
import { appointmentIdOf, isLive, type CalcomBooking } from "./client.js";

export interface InboundBooking {
  uid: string;
  /** The booking this one replaced (a reschedule in Cal.com). */
  rescheduledFromUid: string | null;
  start: Date;
  end: Date;
  live: boolean;
  hostUserId: number | null;
  eventTypeId: number | null;
  /** Our appointment, when the booking is our own (metadata.askproaiAppointmentId). */
  ownAppointmentId: string | null;
  attendee: { name: string | null; email: string | null; phone: string | null };
}

export type InboundOutcome = "ignored_own" | "ignored_unmapped" | "ignored_invalid" | "blocked" | "moved" | "released" | "conflict" | "unchanged";

export interface InboundResult {
  outcome: InboundOutcome;
  appointmentId?: string;
  detail?: string;
}

type Acting = Pick<OperationContext, "companyId" | "correlationId">;

const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
const int = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 && v < 2 ** 31 ? v : null);
const date = (v: unknown) => {
  const ms = typeof v === "string" ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms);
};
const E164 = /^\+[1-9]\d{6,14}$/;

/** A Cal.com webhook body (`{ triggerEvent, createdAt, payload }`, payload version 2021-10-20). */
export const inboundFromWebhook = (body: unknown): InboundBooking | null => {
  const envelope = (body ?? {}) as { triggerEvent?: unknown; payload?: unknown };
  const p = (envelope.payload ?? {}) as Record<string, unknown>;
  const uid = str(p.uid);
  const start = date(p.startTime);
  const end = date(p.endTime);
  if (!uid || !start || !end || end <= start) return null;
  const attendee = (Array.isArray(p.attendees) ? p.attendees[0] : null) as Record<string, unknown> | null;
  const cancelled = envelope.triggerEvent === "BOOKING_CANCELLED" || String(p.status ?? "").toUpperCase() === "CANCELLED" || String(p.status ?? "").toUpperCase() === "REJECTED";
  return {
    uid,
    rescheduledFromUid: envelope.triggerEvent === "BOOKING_RESCHEDULED" ? str(p.rescheduleUid) : null,
    start,
    end,
    live: !cancelled,
    hostUserId: int((p.organizer as { id?: unknown } | undefined)?.id),
    eventTypeId: int(p.eventTypeId),
    ownAppointmentId: appointmentIdOf({ metadata: p.metadata as Record<string, unknown> | undefined }),
    attendee: { name: str(attendee?.name), email: str(attendee?.email), phone: str(attendee?.phoneNumber) },
  };
};

/** A booking as `GET /v2/bookings` lists it. */
export const inboundFromApi = (b: CalcomBooking): InboundBooking => ({
  uid: b.uid,
  rescheduledFromUid: b.rescheduledFromUid ?? null,
  start: new Date(b.start),
  end: new Date(b.end),
  live: isLive(b),
  hostUserId: int(b.hosts?.[0]?.id),
  eventTypeId: int(b.eventTypeId ?? b.eventType?.id),
  ownAppointmentId: appointmentIdOf(b),
  attendee: { name: str(b.attendees?.[0]?.name), email: str(b.attendees?.[0]?.email), phone: str(b.attendees?.[0]?.phoneNumber) },
});

interface Existing {
  id: string;
  source: string;
  status: string;
  staffId: string;
  startsAt: Date;
  endsAt: Date;
  uid: string;
  version: number;
}

const findExisting = async (tx: Queryable, companyId: string, uids: string[]) =>
  (await tx.query<Existing>({
    name: "askproai_calcom_existing",
    text: `SELECT id, source::text AS source, status::text AS status, staff_id AS "staffId", starts_at AS "startsAt", ends_at AS "endsAt",
             calcom_booking_uid AS uid, version
           FROM appointments WHERE company_id = $1::uuid AND calcom_booking_uid = ANY($2::text[])
           ORDER BY (status IN ('pending', 'confirmed')) DESC, updated_at DESC`,
    values: [companyId, uids],
  })).rows;

const staffBranches = async (tx: Queryable, companyId: string, staffId: string) =>
  (await tx.query<{ id: string }>({ text: "SELECT branch_id AS id FROM staff_branches WHERE company_id = $1::uuid AND staff_id = $2::uuid ORDER BY branch_id", values: [companyId, staffId] })).rows.map((r) => r.id);

/** Runs `fn` behind a savepoint; an EXCLUDE violation rolls back to it and answers "overlap". */
const guarded = async <T>(tx: Queryable, fn: () => Promise<T>): Promise<T | "overlap"> => {
  await tx.query("SAVEPOINT calcom_inbound");
  try {
    const result = await fn();
    await tx.query("RELEASE SAVEPOINT calcom_inbound");
    return result;
  } catch (error) {
    await tx.query("ROLLBACK TO SAVEPOINT calcom_inbound");
    if (classifyDbError(error).kind === "overlap") return "overlap";
    throw error;
  }
};

const recordConflict = async (tx: Queryable, acting: Acting, b: InboundBooking, staffId: string) => {
  const { rows } = await tx.query<{ id: string }>({
    text: `SELECT id FROM appointments WHERE company_id = $1::uuid AND staff_id = $2::uuid AND status NOT IN ('cancelled', 'failed')
             AND tstzrange(blocked_from, blocked_until, '[)') && tstzrange($3::timestamptz, $4::timestamptz, '[)')
           ORDER BY starts_at LIMIT 1`,
    values: [acting.companyId, staffId, b.start, b.end],
  });
  const clash = rows[0]?.id ?? null;
  await tx.query({
    name: "askproai_calcom_conflict",
    text: `INSERT INTO calendar_conflicts (id, company_id, calcom_booking_uid, staff_id, starts_at, ends_at, appointment_id, detail, detected_at, correlation_id)
           VALUES (gen_random_uuid(), $1::uuid, $2, $3::uuid, $4, $5, $6::uuid, $7, now(), $8)
           ON CONFLICT (company_id, calcom_booking_uid) DO UPDATE SET staff_id = EXCLUDED.staff_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
             appointment_id = EXCLUDED.appointment_id, detail = EXCLUDED.detail, resolved_at = NULL`,
    values: [acting.companyId, b.uid, staffId, b.start, b.end, clash, "A booking made in Cal.com overlaps an appointment here; it does not block the time here until the desk resolves it", acting.correlationId],
  });
  return clash;
};

const resolveConflicts = (tx: Queryable, companyId: string, uids: string[]) =>
  tx.query({
    text: "UPDATE calendar_conflicts SET resolved_at = now() WHERE company_id = $1::uuid AND calcom_booking_uid = ANY($2::text[]) AND resolved_at IS NULL",
    values: [companyId, uids],
  });

/** The customer an inbound booking is filed under: the attendee by phone, else the company's one "Cal.com" customer. */
const customerFor = async (tx: Queryable, companyId: string, b: InboundBooking) => {
  const phone = b.attendee.phone && E164.test(b.attendee.phone) ? b.attendee.phone : "+00000000000";
  const name = phone === "+00000000000" ? "Cal.com" : (b.attendee.name ?? "Cal.com").slice(0, 200);
  const { rows } = await tx.query<{ id: string }>({
    name: "askproai_calcom_customer",
    text: `INSERT INTO customers (id, company_id, phone, name, created_at, updated_at) VALUES (gen_random_uuid(), $1::uuid, $2, $3, now(), now())
           ON CONFLICT (company_id, phone) DO UPDATE SET updated_at = customers.updated_at RETURNING id`,
    values: [companyId, phone, name],
  });
  return rows[0]!.id;
};

/** The service a calcom block is filed under: the event type's, else the first the staff member offers. */
const serviceFor = async (tx: Queryable, companyId: string, staffId: string, eventTypeId: number | null) => {
  const { rows } = await tx.query<{ id: string }>({
    text: `SELECT id FROM (
             (SELECT s.id, 0 AS rank, s.name FROM services s WHERE s.company_id = $1::uuid AND s.calcom_event_type_id = $3::int)
             UNION ALL
             (SELECT s.id, 1 AS rank, s.name FROM services s JOIN staff_skills k ON k.service_id = s.id AND k.company_id = s.company_id
              WHERE s.company_id = $1::uuid AND k.staff_id = $2::uuid AND s.is_active)
             UNION ALL
             (SELECT s.id, 2 AS rank, s.name FROM services s WHERE s.company_id = $1::uuid)
           ) x ORDER BY rank, name LIMIT 1`,
    values: [companyId, staffId, eventTypeId],
  });
  return rows[0]?.id ?? null;
};

const audit = (tx: Queryable, acting: Acting, appointmentId: string, action: "created" | "rescheduled" | "cancelled", changes: Record<string, unknown>) =>
  writeOutboxAndAudit(tx, { ...acting, actor: { type: "calcom" } }, { appointmentId, events: [], action, changes });

const cancelBlock = async (tx: Queryable, acting: Acting, existing: Existing, reason: string) => {
  await tx.query({
    text: `UPDATE appointments SET status = 'cancelled', version = version + 1, cancelled_at = now(), cancel_reason = $3, updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid`,
    values: [existing.id, acting.companyId, reason],
  });
  await audit(tx, acting, existing.id, "cancelled", { status: { from: existing.status, to: "cancelled" }, reason, calcomBookingUid: existing.uid });
  await bumpAvailability(tx, acting.companyId, await staffBranches(tx, acting.companyId, existing.staffId));
};

/** Applies one booking as Cal.com now has it (idempotent: the same booking again changes nothing). */
export const applyInboundBooking = async (tx: Queryable, acting: Acting, b: InboundBooking): Promise<InboundResult> => {
  if (b.ownAppointmentId) return { outcome: "ignored_own", appointmentId: b.ownAppointmentId };
  const uids = [b.uid, ...(b.rescheduledFromUid ? [b.rescheduledFromUid] : [])];
  const existing = await findExisting(tx, acting.companyId, uids);
  if (existing.some((e) => e.source !== "calcom")) return { outcome: "ignored_own", appointmentId: existing.find((e) => e.source !== "calcom")!.id };
  const current = existing.find((e) => e.status === "pending" || e.status === "confirmed") ?? null;

  if (!b.live) {
    await resolveConflicts(tx, acting.companyId, uids);
    if (!current || current.uid !== b.uid) return { outcome: "unchanged", ...(current ? { appointmentId: current.id } : {}) };
    await cancelBlock(tx, acting, current, "Cancelled in Cal.com");
    return { outcome: "released", appointmentId: current.id };
  }

  const { rows: staff } = await tx.query<{ id: string }>({
    text: "SELECT id FROM staff WHERE company_id = $1::uuid AND calcom_user_id = $2::int AND is_active ORDER BY id LIMIT 1",
    values: [acting.companyId, b.hostUserId],
  });
  const staffId = staff[0]?.id;
  if (!staffId) {
    if (current) await cancelBlock(tx, acting, current, "Moved in Cal.com to someone not mapped here");
    return { outcome: "ignored_unmapped", detail: "the booking's Cal.com user is not mapped to a staff member" };
  }

  if (current) {
    if (current.staffId === staffId && current.startsAt.getTime() === b.start.getTime() && current.endsAt.getTime() === b.end.getTime()) {
      if (current.uid !== b.uid) await tx.query({ text: "UPDATE appointments SET calcom_booking_uid = $3 WHERE id = $1::uuid AND company_id = $2::uuid", values: [current.id, acting.companyId, b.uid] });
      return { outcome: "unchanged", appointmentId: current.id };
    }
    const moved = await guarded(tx, () =>
      tx.query({
        text: `UPDATE appointments SET starts_at = $3, ends_at = $4, staff_id = $5::uuid, calcom_booking_uid = $6, version = version + 1, updated_at = now()
               WHERE id = $1::uuid AND company_id = $2::uuid`,
        values: [current.id, acting.companyId, b.start, b.end, staffId, b.uid],
      }),
    );
    const branches = new Set([...(await staffBranches(tx, acting.companyId, current.staffId)), ...(await staffBranches(tx, acting.companyId, staffId))]);
    if (moved === "overlap") {
      // The old time is free in Cal.com now; the new one clashes here: release the old, record the clash.
      await cancelBlock(tx, acting, current, "Moved in Cal.com onto a time that is taken here");
      await recordConflict(tx, acting, b, staffId);
      return { outcome: "conflict", appointmentId: current.id };
    }
    await audit(tx, acting, current.id, "rescheduled", { start: { from: current.startsAt.toISOString(), to: b.start.toISOString() }, calcomBookingUid: b.uid });
    await bumpAvailability(tx, acting.companyId, branches);
    await resolveConflicts(tx, acting.companyId, uids);
    return { outcome: "moved", appointmentId: current.id };
  }

  const branches = await staffBranches(tx, acting.companyId, staffId);
  const serviceId = await serviceFor(tx, acting.companyId, staffId, b.eventTypeId);
  if (branches.length === 0 || !serviceId) return { outcome: "ignored_unmapped", detail: "the staff member has no branch or the company no service" };
  const customerId = await customerFor(tx, acting.companyId, b);
  const inserted = await guarded(tx, async () =>
    (await tx.query<{ id: string }>({
      name: "askproai_calcom_block",
      text: `INSERT INTO appointments (id, company_id, branch_id, staff_id, service_id, customer_id, starts_at, ends_at, buffer_before_minutes, buffer_after_minutes,
               status, source, idempotency_key, version, correlation_id, notes, calcom_booking_uid, calendar_sync_status, calendar_synced_at, created_at, updated_at)
             VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6, $7, 0, 0, 'confirmed', 'calcom', $8, 1, $9,
               'Booked directly in Cal.com', $10, 'synced', now(), now(), now())
             ON CONFLICT (company_id, idempotency_key) DO NOTHING
             RETURNING id`,
      values: [acting.companyId, branches[0], staffId, serviceId, customerId, b.start, b.end, `calcom:${b.uid}`, acting.correlationId, b.uid],
    })).rows[0]?.id ?? null,
  );
  if (inserted === "overlap") {
    const clash = await recordConflict(tx, acting, b, staffId);
    return { outcome: "conflict", ...(clash ? { appointmentId: clash } : {}), detail: "clashes with a local appointment" };
  }
  if (!inserted) return { outcome: "unchanged", detail: "already applied" };
  await audit(tx, acting, inserted, "created", { source: "calcom", calcomBookingUid: b.uid });
  await bumpAvailability(tx, acting.companyId, branches);
  await resolveConflicts(tx, acting.companyId, uids);
  return { outcome: "blocked", appointmentId: inserted };
};

/** A Cal.com webhook body for a known company, applied in the caller's transaction. */
export const applyCalcomWebhook = async (tx: Queryable, acting: Acting, body: unknown): Promise<InboundResult> => {
  const booking = inboundFromWebhook(body);
  if (!booking) return { outcome: "ignored_invalid", detail: "not a booking with uid, startTime and endTime" };
  return applyInboundBooking(tx, acting, booking);
};
