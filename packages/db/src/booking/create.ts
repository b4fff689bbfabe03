/**
 * createAppointment: the same operation for the desk, the voice agent and the worker.
 *
 * slot lock (appointment_locks, short expiry; refused when the staff member is already booked then) →
 * availability checked again → one statement (its own transaction) inserts the customer, the
 * appointment, its outbox and audit rows and raises the branches' availability versions (EXCLUDE
 * constraints as the last guard; the idempotency key is unique) and releases the lock.
 * A repeat of a request answers with the original appointment.
 */
import { DomainError, localDateOf, type CreateAppointmentInput, type CreateAppointmentOut } from "@askproai/shared";
import { getAvailabilityAnswer } from "../availability/answer.js";
import type { LoadedContext } from "../availability/loader.js";
import { bumpVersionsCte, staffBranchesSql } from "../availability/versions.js";
import { retellCallOf, type OperationContext } from "../context.js";
import { normalisePhone } from "../customers/phone.js";
import { classifyDbError } from "../errors.js";
import { appointmentEvents, outboxAndAuditCtes } from "../outbox/write.js";
import { countBooking } from "../ops/metrics.js";
import { params } from "../sql.js";
import { unavailableStart } from "./conflicts.js";
import { recordFailure } from "./failures.js";
import { awaitTwin, findByKey, replay } from "./idempotency.js";
import { recheckSlot } from "./recheck.js";
import { appointmentColumns, serviceShapeOf, toAppointmentOut, zoneOf, type AppointmentRow } from "./rows.js";
import { acquireSlotLock, releaseLock } from "./slot-lock.js";

const MAX_TRANSACTION_RETRIES = 3;

/**
 * Who could take `start`. With a named staff member that is just them: the recheck inside the
 * transaction decides (one query fewer per booking). Otherwise the team members free at that time
 * according to the (never stale) cached availability of the day, the one with the most free time that
 * day first, to spread work. Either way only a hint: the recheck and the EXCLUDE constraint decide.
 */
const candidatesAt = async (ctx: OperationContext, input: CreateAppointmentInput, start: number, timezone: string) => {
  if (input.staffId) {
    const shape = await serviceShapeOf(ctx, input.serviceId);
    return [{ staffId: input.staffId, end: start + shape.durationMs + shape.bufferAfterMs, blockedFrom: start - shape.bufferBeforeMs }];
  }
  const { slots } = await getAvailabilityAnswer(ctx, { branchId: input.branchId, serviceId: input.serviceId, from: localDateOf(start, timezone), days: 1 });
  const free = new Map<string, number>();
  for (const s of slots) free.set(s.staffId, (free.get(s.staffId) ?? 0) + 1);
  return slots
    .filter((s) => s.start === start)
    .map((s) => ({ staffId: s.staffId, end: s.end, blockedFrom: undefined as number | undefined }))
    .sort((a, b) => (free.get(b.staffId) ?? 0) - (free.get(a.staffId) ?? 0) || a.staffId.localeCompare(b.staffId));
};

/**
 * One statement writes the customer, the appointment, its outbox and audit rows, and raises the
 * availability version of every branch the staff member works at, and releases the slot lock (one
 * round trip fewer than a DELETE after it). The statement is its own transaction: a loser of the slot
 * that meets the lock row while it is being deleted waits only for this statement, then takes a lock
 * of its own and loses at the recheck. Inside a longer transaction every such loser would queue behind it.
 */
const insertStatement = (
  ctx: OperationContext,
  input: CreateAppointmentInput,
  args: { staffId: string; start: number; lockId: string },
  slot: { end: number; resourceId?: string },
  loaded: LoadedContext,
) => {
  const { values, p } = params();
  const service = loaded.service;
  const calendarSync = loaded.company.calcomSyncEnabled;
  const co = p(ctx.companyId, "uuid");
  const branch = p(input.branchId, "uuid");
  const staff = p(args.staffId, "uuid");
  const text = `
    WITH cust AS (
      INSERT INTO customers (id, company_id, phone, name, email, created_at, updated_at)
      VALUES (gen_random_uuid(), ${co}, ${p(input.customer.phone)}, ${p(input.customer.name)}, ${p(input.customer.email ?? null)}, now(), now())
      ON CONFLICT (company_id, phone) DO UPDATE SET email = COALESCE(EXCLUDED.email, customers.email), updated_at = now()
      RETURNING id
    ), appt AS (
      INSERT INTO appointments (id, company_id, branch_id, staff_id, service_id, customer_id, resource_id, starts_at, ends_at,
        buffer_before_minutes, buffer_after_minutes, status, source, idempotency_key, version, correlation_id, notes,
        price_minor, currency, calendar_sync_status, retell_call_id, created_at, updated_at)
      SELECT gen_random_uuid(), ${co}, ${branch}, ${staff}, ${p(input.serviceId, "uuid")}, cust.id,
        ${p(slot.resourceId ?? null, "uuid")}, ${p(new Date(args.start), "timestamptz")}, ${p(new Date(slot.end), "timestamptz")},
        ${p(service.bufferBeforeMinutes, "int")}, ${p(service.bufferAfterMinutes, "int")}, 'confirmed', ${p(ctx.source, "appointment_source")},
        ${p(input.idempotencyKey)}, 1, ${p(ctx.correlationId)}, ${p(input.notes ?? null)}, ${p(service.priceMinor, "int")}, ${p(service.currency)},
        ${p(calendarSync ? "pending" : "not_required", "calendar_sync_status")}, ${p(retellCallOf(ctx.actor), "text")}, now(), now()
      FROM cust
      RETURNING *
    ), released AS (
      DELETE FROM appointment_locks WHERE id = ${p(args.lockId, "uuid")} AND company_id = ${co} AND EXISTS (SELECT 1 FROM appt)
    ),${outboxAndAuditCtes(p, ctx, {
      row: "appt",
      events: appointmentEvents(calendarSync, "create", "confirmation"),
      action: "created",
      changes: "jsonb_build_object('start', appt.starts_at, 'end', appt.ends_at, 'staffId', appt.staff_id, 'resourceId', appt.resource_id, 'source', appt.source)",
    })},${bumpVersionsCte(co, `SELECT ${branch} UNION ${staffBranchesSql(co, staff)}`)}
    SELECT ${appointmentColumns()} FROM appt`;
  return { name: "askproai_insert_appointment", text, values };
};

const insertWithRecheck = async (
  ctx: OperationContext,
  input: CreateAppointmentInput,
  args: { staffId: string; start: number; timezone: string; lockId: string },
): Promise<AppointmentRow> => {
  for (let attempt = 0; ; attempt++) {
    try {
      // No BEGIN/COMMIT around the two: under READ COMMITTED each statement reads its own snapshot
      // anyway, the insert is one atomic statement, and the EXCLUDE constraints decide a race between
      // the recheck and the insert. A transaction would add two round trips and change nothing.
      const { slot, loaded } = await recheckSlot(ctx.sql, ctx, { ...args, branchId: input.branchId, serviceId: input.serviceId });
      if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");
      const { rows } = await ctx.sql.query<AppointmentRow>(insertStatement(ctx, input, args, slot, loaded));
      return rows[0]!;
    } catch (error) {
      // Run again (the recheck then sees what the other transaction committed) when:
      // - two bookings picked the same free room at once: the loser takes another one;
      // - PostgreSQL aborted one of two transactions waiting on each other (deadlock, serialization).
      const failure = classifyDbError(error);
      const roomRace = failure.kind === "overlap" && failure.constraint === "appointments_no_resource_overlap";
      if ((roomRace || failure.kind === "retryable") && attempt < MAX_TRANSACTION_RETRIES) continue;
      throw error;
    }
  }
};

const bookAppointment = async (ctx: OperationContext, typed: CreateAppointmentInput): Promise<CreateAppointmentOut> => {
  const askedAt = performance.now();
  // The customer's number as typed, read in the company's country: stored (and matched) as E.164.
  const input = { ...typed, customer: { ...typed.customer, phone: await normalisePhone(ctx, typed.customer.phone, "customer.phone") } };
  // No up-front lookup of the idempotency key: a repeat finds its slot taken (by its own original) or
  // hits the unique key, and both paths answer with the original (see `conflict` below).
  const start = Date.parse(input.start);
  const timezone = await zoneOf(ctx, input.branchId);
  const conflictArgs = { branchId: input.branchId, serviceId: input.serviceId, start, staffId: input.staffId, timezone };
  /**
   * Every "taken" answer first asks whether the taker is this very request arriving twice (a retry
   * racing its original): then the original's appointment is the answer, never a CONFLICT.
   */
  const conflict = async (): Promise<CreateAppointmentOut> => {
    const twin = await awaitTwin(ctx, input.idempotencyKey);
    if (twin) return replay(ctx, twin, input);
    throw await unavailableStart(ctx, conflictArgs, askedAt);
  };

  const candidates = await candidatesAt(ctx, input, start, timezone);
  if (candidates.length === 0) return conflict();

  for (const candidate of candidates) {
    const { lock, taken, twin } = await acquireSlotLock(ctx, {
      branchId: input.branchId,
      staffId: candidate.staffId,
      resourceId: null,
      start: new Date(start),
      end: new Date(candidate.end),
      holder: input.idempotencyKey,
      // A contended slot's losers stop here, without opening a transaction.
      blocked: candidate.blockedFrom !== undefined ? { from: new Date(candidate.blockedFrom), until: new Date(candidate.end) } : undefined,
    });
    if (!lock) {
      // Seen in one snapshot: taken by an appointment, and not by this request's own twin → a plain
      // conflict, no need to look for a twin again (the common case of a contended slot's losers).
      if (taken && twin === null && input.staffId) throw await unavailableStart(ctx, conflictArgs, askedAt);
      continue;
    }
    let released = false;
    try {
      const appointment = await insertWithRecheck(ctx, input, { staffId: candidate.staffId, start, timezone, lockId: lock.id });
      released = true; // by the insert itself
      ctx.log.info({ appointmentId: appointment.id, staffId: appointment.staffId, branchId: appointment.branchId }, "appointment created");
      return { ...toAppointmentOut(appointment, timezone), replayed: false };
    } catch (error) {
      // Release before anything else: `conflict` waits while a lock of this idempotency key is in flight,
      // and this request's own lock must not count as its twin.
      await releaseLock(ctx, lock);
      released = true;
      const failure = classifyDbError(error);
      if (failure.kind === "unique") {
        // Same idempotency key committed concurrently by a twin request.
        const twinRow = await findByKey(ctx, input.idempotencyKey);
        if (twinRow) return await replay(ctx, twinRow, input);
      }
      if ((error instanceof DomainError && error.code === "CONFLICT") || failure.kind === "overlap") {
        if (input.staffId) return await conflict();
        continue; // another eligible staff member may still be free
      }
      if (error instanceof DomainError) throw error;
      await recordFailure(ctx, input, candidate.staffId, error);
      throw new DomainError(
        failure.kind === "unavailable" ? "SERVICE_UNAVAILABLE" : "INTERNAL",
        failure.kind === "unavailable" ? "database unavailable; the booking was not made" : "the booking could not be completed",
        failure.kind === "unavailable" ? { dependency: "postgresql", retryAfterSeconds: 1 } : {},
        { cause: error },
      );
    } finally {
      if (!released) await releaseLock(ctx, lock);
    }
  }
  return conflict();
};

/** Creates the appointment (or answers the original for a repeated key); every attempt is counted by outcome. */
export const createAppointment = (ctx: OperationContext, input: CreateAppointmentInput): Promise<CreateAppointmentOut> =>
  countBooking(ctx.source, bookAppointment(ctx, input));
