/**
 * Booking operations shared by the desk (tRPC), the voice agent and the worker.
 *
 * create: slot lock (appointment_locks, short expiry; refused when the staff member is already booked
 * then) → availability checked again inside the transaction → insert (EXCLUDE constraints as the last
 * guard; the idempotency key is unique) → outbox + audit rows in the same statement → commit → cache
 * generation bumped → lock released. A repeat of a request answers with the original appointment.
 */
import {
  DomainError,
  localDateOf,
  nearestAlternatives,
  notFound,
  toZonedIso,
  type AppointmentListItem,
  type AppointmentOut,
  type CancelAppointmentInput,
  type CreateAppointmentInput,
  type ListAppointmentsInput,
  type RescheduleAppointmentInput,
  type SlotAlternative,
} from "@askproai/shared";
import { poolOf, type Appointment, type Prisma } from "../client.js";
import { classifyDbError } from "../errors.js";
import { inTransaction, params, type Queryable } from "../sql.js";
import { forCompany, type TenantDb } from "../tenant.js";
import { computeAvailability, getAvailabilityAnswer } from "./availability.js";
import { nowOf, type BookingContext } from "./context.js";
import type { LoadedContext } from "./loader.js";

export const ACTIVE_STATUSES = ["pending", "confirmed"] as const;
const BOOKING_LOCK_TTL_MS = 30_000;
const DAY_MS = 86_400_000;

type Tx = Parameters<Parameters<TenantDb["$transaction"]>[0]>[0];

export const OUTBOX_TOPICS = {
  calendarSync: "calendar.sync",
  notification: "notification.send",
} as const;

// ---------------------------------------------------------------------------------------------------
// Output shapes

// A branch's zone practically never changes; one lookup per process and branch keeps it off the hot path.
const branchZones = new Map<string, string>();

/** The branch's IANA zone; NOT_FOUND for a branch of another company or none at all. */
const zoneOf = async (db: TenantDb, companyId: string, branchId: string) => {
  const key = `${companyId}:${branchId}`;
  let zone = branchZones.get(key);
  if (!zone) {
    const branch = await db.branch.findUnique({ where: { id: branchId }, select: { timezone: true, isActive: true } });
    if (!branch || !branch.isActive) throw notFound("branch");
    zone = branch.timezone;
    branchZones.set(key, zone);
  }
  return zone;
};

/** The fields every booking answer needs; a Prisma Appointment and a row of APPOINTMENT_COLUMNS both fit. */
export type AppointmentRow = Pick<
  Appointment,
  "id" | "companyId" | "branchId" | "staffId" | "serviceId" | "customerId" | "resourceId" | "startsAt" | "endsAt" | "status" | "version" | "correlationId"
>;

const APPOINTMENT_COLUMNS = `id, company_id AS "companyId", branch_id AS "branchId", staff_id AS "staffId", service_id AS "serviceId",
  customer_id AS "customerId", resource_id AS "resourceId", starts_at AS "startsAt", ends_at AS "endsAt", status, version,
  correlation_id AS "correlationId"`;

export const toAppointmentOut = (a: AppointmentRow, timezone: string): AppointmentOut => ({
  id: a.id,
  status: a.status,
  start: toZonedIso(a.startsAt.getTime(), timezone),
  end: toZonedIso(a.endsAt.getTime(), timezone),
  staffId: a.staffId,
  serviceId: a.serviceId,
  branchId: a.branchId,
  resourceId: a.resourceId,
  customerId: a.customerId,
  version: a.version,
  correlationId: a.correlationId,
});

// ---------------------------------------------------------------------------------------------------
// Locks

interface HeldLock {
  id: string;
}

/**
 * Claims (staff, start) for a short time; an expired claim (its process died) is taken over. `lock` is
 * null when the claim was not made; `taken` says an active appointment of the staff member overlaps
 * `blocked`, and `twin` whether this request's idempotency key is already booked or in flight, both
 * read in the same snapshot.
 */
const acquireSlotLock = async (
  ctx: BookingContext,
  args: {
    branchId: string;
    staffId: string;
    resourceId: string | null;
    start: Date;
    end: Date;
    holder: string;
    /** When given: do not even take the lock if an active appointment of the staff member overlaps this range. */
    blocked?: { from: Date; until: Date };
  },
): Promise<{ lock: HeldLock | null; taken: boolean; twin: "committed" | "in_flight" | null }> => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const staff = p(args.staffId, "uuid");
  const holder = p(args.holder);
  const text = `
    WITH taken AS (
      SELECT 1 FROM appointments a
      WHERE ${p(args.blocked !== undefined, "boolean")} AND a.company_id = ${co} AND a.staff_id = ${staff}
        AND a.status NOT IN ('cancelled', 'failed')
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(${p(args.blocked?.from ?? null, "timestamptz")}, ${p(args.blocked?.until ?? null, "timestamptz")})
      LIMIT 1
    ), ins AS (
      -- DO NOTHING: a live lock is never row-locked by the requests that lose it, so they do not queue.
      INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
      SELECT gen_random_uuid(), ${co}, ${p(args.branchId, "uuid")}, ${staff}, ${p(args.resourceId, "uuid")},
             ${p(args.start, "timestamptz")}, ${p(args.end, "timestamptz")}, now() + ${p(BOOKING_LOCK_TTL_MS, "int")} * interval '1 millisecond',
             'booking', ${holder}, ${p(ctx.correlationId)}
      WHERE NOT EXISTS (SELECT 1 FROM taken)
      ON CONFLICT (staff_id, starts_at) DO NOTHING
      RETURNING id
    ), takeover AS (
      -- A lock whose holder died (expired, not yet swept) is taken over.
      UPDATE appointment_locks
      SET company_id = ${co}, branch_id = ${p(args.branchId, "uuid")}, resource_id = ${p(args.resourceId, "uuid")},
          ends_at = ${p(args.end, "timestamptz")}, expires_at = now() + ${p(BOOKING_LOCK_TTL_MS, "int")} * interval '1 millisecond',
          kind = 'booking', holder = ${holder}, correlation_id = ${p(ctx.correlationId)}, created_at = now()
      WHERE staff_id = ${staff} AND starts_at = ${p(args.start, "timestamptz")} AND expires_at < now()
        AND NOT EXISTS (SELECT 1 FROM ins) AND NOT EXISTS (SELECT 1 FROM taken)
      RETURNING id
    )
    -- From the same snapshot as "taken": is the taker this very request arriving twice (same key)?
    SELECT COALESCE((SELECT id FROM ins), (SELECT id FROM takeover)) AS id, EXISTS (SELECT 1 FROM taken) AS taken,
      EXISTS (SELECT 1 FROM appointments WHERE company_id = ${co} AND idempotency_key = ${holder}) AS "twinCommitted",
      EXISTS (SELECT 1 FROM appointment_locks WHERE company_id = ${co} AND holder = ${holder} AND expires_at > now()) AS "twinInFlight"`;
  const { rows } = await poolOf(ctx.db).query<{ id: string | null; taken: boolean; twinCommitted: boolean; twinInFlight: boolean }>({
    name: "askproai_acquire_lock",
    text,
    values,
  });
  const row = rows[0];
  const twin = row?.twinCommitted ? "committed" : row?.twinInFlight ? "in_flight" : null;
  return { lock: row?.id ? { id: row.id } : null, taken: row?.taken ?? false, twin };
};

const releaseLock = async (ctx: BookingContext, lock: HeldLock) => {
  await poolOf(ctx.db)
    .query({ name: "askproai_release_lock", text: "DELETE FROM appointment_locks WHERE id = $1::uuid AND company_id = $2::uuid", values: [lock.id, ctx.companyId] })
    .catch((error: unknown) => {
      // It expires on its own; the worker sweeps it.
      ctx.log?.warn({ err: error, lockId: lock.id }, "could not release slot lock");
    });
};

// ---------------------------------------------------------------------------------------------------
// Conflicts

/** Up to 3 free starts nearest to the wanted one (any eligible staff member), from fresh data. */
export const findAlternatives = async (
  ctx: BookingContext,
  args: { branchId: string; serviceId: string; start: number; staffId?: string | null; timezone: string; excludeAppointmentId?: string },
): Promise<SlotAlternative[]> => {
  const day = localDateOf(args.start, args.timezone);
  const previous = localDateOf(args.start - DAY_MS, args.timezone);
  const query = { branchId: args.branchId, serviceId: args.serviceId, from: previous < day ? previous : day, days: 4 };
  // Many losers of one contended slot ask the same question: the cache answers all but the first.
  const slots = args.excludeAppointmentId
    ? (await computeAvailability(poolOf(ctx.db), ctx.companyId, query, nowOf(ctx), { excludeAppointmentId: args.excludeAppointmentId })).slots
    : (await getAvailabilityAnswer({ db: poolOf(ctx.db), cache: ctx.cache }, ctx.companyId, query, nowOf(ctx))).slots;
  return nearestAlternatives(slots, { start: args.start, staffId: args.staffId ?? null }, 3).map((s) => ({
    start: toZonedIso(s.start, args.timezone),
    staffId: s.staffId,
  }));
};

const slotTaken = async (
  ctx: BookingContext,
  args: { branchId: string; serviceId: string; start: number; staffId?: string | null; timezone: string; excludeAppointmentId?: string },
) =>
  new DomainError("CONFLICT", "the requested time is no longer free", {
    alternatives: await findAlternatives(ctx, args).catch(() => []),
  });

// Duration and buffer of a service change rarely; they only size the in-flight lock (the transaction
// re-reads the service), so a short-lived per-process copy keeps a query off every booking.
const serviceShapes = new Map<string, { durationMs: number; bufferBeforeMs: number; bufferAfterMs: number; at: number }>();
const SERVICE_SHAPE_TTL_MS = 60_000;

const serviceShapeOf = async (ctx: BookingContext, serviceId: string) => {
  const key = `${ctx.companyId}:${serviceId}`;
  const known = serviceShapes.get(key);
  if (known && Date.now() - known.at < SERVICE_SHAPE_TTL_MS) return known;
  const service = await forCompany(ctx.db, ctx.companyId).service.findUnique({
    where: { id: serviceId },
    select: { durationMinutes: true, bufferBeforeMinutes: true, bufferAfterMinutes: true, isActive: true },
  });
  if (!service || !service.isActive) throw notFound("service");
  const shape = {
    durationMs: service.durationMinutes * 60_000,
    bufferBeforeMs: service.bufferBeforeMinutes * 60_000,
    bufferAfterMs: service.bufferAfterMinutes * 60_000,
    at: Date.now(),
  };
  serviceShapes.set(key, shape);
  return shape;
};

/**
 * Who could take `start`. With a named staff member that is just them: the recheck inside the
 * transaction decides (one query fewer per booking). Otherwise the team members free at that time
 * according to the (never stale) cached availability of the day, the one with the most free time that
 * day first, to spread work. Either way only a hint: the recheck and the EXCLUDE constraint decide.
 */
const candidatesAt = async (ctx: BookingContext, input: CreateAppointmentInput, start: number, timezone: string) => {
  if (input.staffId) {
    const shape = await serviceShapeOf(ctx, input.serviceId);
    return [{ staffId: input.staffId, end: start + shape.durationMs + shape.bufferAfterMs, blockedFrom: start - shape.bufferBeforeMs }];
  }
  const { slots } = await getAvailabilityAnswer(
    { db: poolOf(ctx.db), cache: ctx.cache },
    ctx.companyId,
    { branchId: input.branchId, serviceId: input.serviceId, from: localDateOf(start, timezone), days: 1 },
    nowOf(ctx),
  );
  const free = new Map<string, number>();
  for (const s of slots) free.set(s.staffId, (free.get(s.staffId) ?? 0) + 1);
  return slots
    .filter((s) => s.start === start)
    .map((s) => ({ staffId: s.staffId, end: s.end, blockedFrom: undefined as number | undefined }))
    .sort((a, b) => (free.get(b.staffId) ?? 0) - (free.get(a.staffId) ?? 0) || a.staffId.localeCompare(b.staffId));
};

/** Availability of one staff member at one start, re-read inside the booking transaction. */
const recheckInTransaction = async (
  tx: Queryable,
  ctx: BookingContext,
  args: { branchId: string; serviceId: string; staffId: string; start: number; timezone: string; lockId: string; excludeAppointmentId?: string },
) => {
  const { ctx: loaded, slots } = await computeAvailability(
    tx,
    ctx.companyId,
    { branchId: args.branchId, serviceId: args.serviceId, staffId: args.staffId, from: localDateOf(args.start, args.timezone), days: 1 },
    nowOf(ctx),
    { excludeLockId: args.lockId, excludeAppointmentId: args.excludeAppointmentId, holdsOnly: true },
  );
  const slot = slots.find((s) => s.start === args.start && s.staffId === args.staffId);
  return { slot, loaded };
};

// ---------------------------------------------------------------------------------------------------
// Audit, outbox, failures

const audit = (tx: Tx, ctx: BookingContext, appointmentId: string, action: Prisma.AppointmentAuditCreateInput["action"], changes: Record<string, unknown>) =>
  tx.appointmentAudit.create({
    data: {
      companyId: ctx.companyId,
      appointmentId,
      action,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id ?? null,
      correlationId: ctx.correlationId,
      changes: changes as Prisma.InputJsonValue,
    },
  });

/** Outbox rows carry ids only: the worker reads the rest, so no personal data sits in Redis. */
const enqueue = (tx: Tx, ctx: BookingContext, appointment: Appointment, events: { topic: string; payload: Record<string, unknown> }[]) =>
  tx.outboxEvent.createMany({
    data: events.map((e) => ({
      companyId: ctx.companyId,
      topic: e.topic,
      aggregateId: appointment.id,
      payload: { appointmentId: appointment.id, ...e.payload } as Prisma.InputJsonValue,
      correlationId: ctx.correlationId,
    })),
  });

const syncEvents = (calendarSync: boolean, action: "create" | "cancel" | "reschedule", notification: string) => [
  ...(calendarSync ? [{ topic: OUTBOX_TOPICS.calendarSync, payload: { action } }] : []),
  { topic: OUTBOX_TOPICS.notification, payload: { kind: notification } },
];

/**
 * The outbox and audit CTEs every appointment-changing statement ends with, so a change, its
 * announcements and its audit row commit together. `row` names the CTE holding the changed appointment;
 * `changes` is a SQL expression (over `row`) describing the change.
 */
const outboxAndAuditCtes = (
  p: ReturnType<typeof params>["p"],
  ctx: BookingContext,
  args: { row: string; co: string; corr: string; events: ReturnType<typeof syncEvents>; action: "created" | "rescheduled"; changes: string },
) => `
    outbox AS (
      INSERT INTO outbox_events (id, company_id, topic, aggregate_id, payload, correlation_id, created_at, available_at, attempts)
      SELECT gen_random_uuid(), ${args.co}, e.topic, ${args.row}.id::text, jsonb_build_object('appointmentId', ${args.row}.id) || e.payload,
        ${args.corr}, now(), now(), 0
      FROM ${args.row}, jsonb_to_recordset(${p(JSON.stringify(args.events), "jsonb")}) AS e(topic text, payload jsonb)
    ), audit AS (
      INSERT INTO appointment_audit (id, company_id, appointment_id, action, actor_type, actor_id, correlation_id, changes, created_at)
      SELECT gen_random_uuid(), ${args.co}, ${args.row}.id, ${p(args.action, "audit_action")}, ${p(ctx.actor.type, "actor_type")},
        ${p(ctx.actor.id ?? null)}, ${args.corr}, ${args.changes}, now()
      FROM ${args.row}
    )`;

/** Unexpected failures are kept as `failed` appointments (the debug view's timeline reads them). */
const recordFailure = async (ctx: BookingContext, input: CreateAppointmentInput, staffId: string, error: unknown) => {
  try {
    const db = forCompany(ctx.db, ctx.companyId);
    const start = new Date(input.start);
    const service = await db.service.findUnique({ where: { id: input.serviceId }, select: { durationMinutes: true } });
    const customer = await db.customer.upsert({
      where: { companyId_phone: { companyId: ctx.companyId, phone: input.customer.phone } },
      create: { companyId: ctx.companyId, phone: input.customer.phone, name: input.customer.name, email: input.customer.email ?? null },
      update: {},
    });
    const failed = await db.appointment.create({
      data: {
        companyId: ctx.companyId,
        branchId: input.branchId,
        staffId,
        serviceId: input.serviceId,
        customerId: customer.id,
        startsAt: start,
        endsAt: new Date(start.getTime() + (service?.durationMinutes ?? 1) * 60_000),
        status: "failed",
        source: ctx.source,
        correlationId: ctx.correlationId,
        failureReason: describeFailure(error),
        notes: input.notes ?? null,
      },
    });
    await db.appointmentAudit.create({
      data: {
        companyId: ctx.companyId,
        appointmentId: failed.id,
        action: "failed",
        actorType: ctx.actor.type,
        actorId: ctx.actor.id ?? null,
        correlationId: ctx.correlationId,
        changes: { reason: failed.failureReason },
      },
    });
  } catch (recordError) {
    ctx.log?.error({ err: recordError }, "could not record failed booking");
  }
};

const describeFailure = (error: unknown) => {
  const failure = classifyDbError(error);
  if (failure.kind === "unavailable") return "database unavailable";
  const message = error instanceof Error ? error.message : String(error);
  // First line only: driver messages can carry query text.
  return message.split("\n").find((l) => l.trim())?.slice(0, 500) ?? "unknown error";
};

// ---------------------------------------------------------------------------------------------------
// create

const sameRequest = (a: AppointmentRow, input: CreateAppointmentInput) =>
  a.branchId === input.branchId &&
  a.serviceId === input.serviceId &&
  a.startsAt.getTime() === Date.parse(input.start) &&
  (!input.staffId || a.staffId === input.staffId);

const replay = async (ctx: BookingContext, existing: AppointmentRow, input: CreateAppointmentInput) => {
  if (!sameRequest(existing, input)) {
    throw new DomainError("BAD_REQUEST", "idempotencyKey: already used for a different booking", { fields: ["idempotencyKey"] });
  }
  return toAppointmentOut(existing, await zoneOf(forCompany(ctx.db, ctx.companyId), ctx.companyId, existing.branchId));
};

const findByKey = async (ctx: BookingContext, idempotencyKey: string) => {
  const { rows } = await poolOf(ctx.db).query<AppointmentRow>({
    name: "askproai_appointment_by_key",
    text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointments WHERE company_id = $1::uuid AND idempotency_key = $2`,
    values: [ctx.companyId, idempotencyKey],
  });
  return rows[0] ?? null;
};

/**
 * The appointment of a twin request (same idempotency key): at once when it committed, after waiting
 * while it still holds a slot lock; null when there is no twin.
 */
const awaitTwin = async (ctx: BookingContext, key: string) => {
  const deadline = Date.now() + BOOKING_LOCK_TTL_MS;
  for (;;) {
    const { rows } = await poolOf(ctx.db).query<AppointmentRow & { inFlight: boolean }>({
      name: "askproai_await_twin",
      text: `SELECT a.*, EXISTS (SELECT 1 FROM appointment_locks l WHERE l.company_id = $1::uuid AND l.holder = $2 AND l.expires_at > now()) AS "inFlight"
             FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT ${APPOINTMENT_COLUMNS} FROM appointments WHERE company_id = $1::uuid AND idempotency_key = $2) a ON true`,
      values: [ctx.companyId, key],
    });
    const row = rows[0];
    if (row?.id) return row;
    if (!row?.inFlight || Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const createAppointment = async (ctx: BookingContext, input: CreateAppointmentInput): Promise<AppointmentOut> => {
  // No up-front lookup of the idempotency key: a repeat finds its slot taken (by its own original) or
  // hits the unique key, and both paths answer with the original (see `conflict` below).
  const start = Date.parse(input.start);
  const timezone = await zoneOf(forCompany(ctx.db, ctx.companyId), ctx.companyId, input.branchId);
  const conflictArgs = { branchId: input.branchId, serviceId: input.serviceId, start, staffId: input.staffId, timezone };
  /**
   * Every "taken" answer first asks whether the taker is this very request arriving twice (a retry
   * racing its original): then the original's appointment is the answer, never a CONFLICT.
   */
  const conflict = async (): Promise<AppointmentOut> => {
    const twin = await awaitTwin(ctx, input.idempotencyKey);
    if (twin) return replay(ctx, twin, input);
    throw await slotTaken(ctx, conflictArgs);
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
    }).catch((error: unknown) => {
      // The lock references (staff_id, company_id): a staff id of another company, or none at all.
      if (classifyDbError(error).kind === "foreign_key") throw notFound("staff member");
      throw error;
    });
    if (!lock) {
      // Seen in one snapshot: taken by an appointment, and not by this request's own twin → a plain
      // conflict, no need to look for a twin again (the common case of a contended slot's losers).
      if (taken && twin === null && input.staffId) throw await slotTaken(ctx, conflictArgs);
      continue;
    }
    let released = false;
    try {
      const { appointment, staffBranches } = await insertWithRecheck(ctx, input, { staffId: candidate.staffId, start, timezone, lockId: lock.id });
      await ctx.cache?.invalidate([input.branchId, ...staffBranches]);
      ctx.log?.info({ appointmentId: appointment.id, staffId: appointment.staffId, branchId: appointment.branchId }, "appointment created");
      return toAppointmentOut(appointment, timezone);
    } catch (error) {
      // Release before anything else: `conflict` waits while a lock of this idempotency key is in flight,
      // and this request's own lock must not count as its twin.
      await releaseLock(ctx, lock);
      released = true;
      const failure = classifyDbError(error);
      if (failure.kind === "unique") {
        // Same idempotency key committed concurrently by a twin request.
        const twin = await findByKey(ctx, input.idempotencyKey);
        if (twin) return await replay(ctx, twin, input);
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
        failure.kind === "unavailable" ? { dependency: "postgresql" } : {},
        { cause: error },
      );
    } finally {
      if (!released) await releaseLock(ctx, lock);
    }
  }
  return conflict();
};

const MAX_TRANSACTION_RETRIES = 3;

/**
 * One statement writes the customer, the appointment, and its outbox and audit rows. The slot lock is
 * released after the commit, not inside: a lock deleted inside the transaction makes every concurrent
 * loser of the slot wait for that row and then queue through transactions of their own.
 */
const insertStatement = (
  ctx: BookingContext,
  input: CreateAppointmentInput,
  args: { staffId: string; start: number; lockId: string },
  slot: { end: number; resourceId?: string },
  loaded: LoadedContext,
) => {
  const { values, p } = params();
  const service = loaded.service;
  const calendarSync = loaded.company.calcomSyncEnabled;
  const co = p(ctx.companyId, "uuid");
  const corr = p(ctx.correlationId);
  const text = `
    WITH cust AS (
      INSERT INTO customers (id, company_id, phone, name, email, created_at, updated_at)
      VALUES (gen_random_uuid(), ${co}, ${p(input.customer.phone)}, ${p(input.customer.name)}, ${p(input.customer.email ?? null)}, now(), now())
      ON CONFLICT (company_id, phone) DO UPDATE SET email = COALESCE(EXCLUDED.email, customers.email), updated_at = now()
      RETURNING id
    ), appt AS (
      INSERT INTO appointments (id, company_id, branch_id, staff_id, service_id, customer_id, resource_id, starts_at, ends_at,
        buffer_before_minutes, buffer_after_minutes, status, source, idempotency_key, version, correlation_id, notes,
        price_minor, currency, calendar_sync_status, created_at, updated_at)
      SELECT gen_random_uuid(), ${co}, ${p(input.branchId, "uuid")}, ${p(args.staffId, "uuid")}, ${p(input.serviceId, "uuid")}, cust.id,
        ${p(slot.resourceId ?? null, "uuid")}, ${p(new Date(args.start), "timestamptz")}, ${p(new Date(slot.end), "timestamptz")},
        ${p(service.bufferBeforeMinutes, "int")}, ${p(service.bufferAfterMinutes, "int")}, 'confirmed', ${p(ctx.source, "appointment_source")},
        ${p(input.idempotencyKey)}, 1, ${corr}, ${p(input.notes ?? null)}, ${p(service.priceMinor, "int")}, ${p(service.currency)},
        ${p(calendarSync ? "pending" : "not_required", "calendar_sync_status")}, now(), now()
      FROM cust
      RETURNING *
    ),${outboxAndAuditCtes(p, ctx, {
      row: "appt",
      co,
      corr,
      events: syncEvents(calendarSync, "create", "confirmation"),
      action: "created",
      changes: "jsonb_build_object('start', appt.starts_at, 'end', appt.ends_at, 'staffId', appt.staff_id, 'resourceId', appt.resource_id, 'source', appt.source)",
    })}
    SELECT ${APPOINTMENT_COLUMNS} FROM appt`;
  return { name: "askproai_insert_appointment", text, values };
};

const insertWithRecheck = async (
  ctx: BookingContext,
  input: CreateAppointmentInput,
  args: { staffId: string; start: number; timezone: string; lockId: string },
): Promise<{ appointment: AppointmentRow; staffBranches: string[] }> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(poolOf(ctx.db), async (tx) => {
        const { slot, loaded } = await recheckInTransaction(tx, ctx, {
          branchId: input.branchId,
          serviceId: input.serviceId,
          staffId: args.staffId,
          start: args.start,
          timezone: args.timezone,
          lockId: args.lockId,
        });
        if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");
        const { rows } = await tx.query<AppointmentRow>(insertStatement(ctx, input, args, slot, loaded));
        return { appointment: rows[0]!, staffBranches: loaded.staffBranches[args.staffId] ?? [] };
      });
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

// ---------------------------------------------------------------------------------------------------
// cancel, no-show, complete

const requireAppointment = async (db: TenantDb | Tx, id: string) => {
  const appointment = await db.appointment.findUnique({ where: { id } });
  if (!appointment || appointment.status === "failed") throw notFound("appointment");
  return appointment;
};

const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

const calendarSyncEnabled = async (db: TenantDb | Tx) =>
  (await db.company.findFirst({ select: { calcomSyncEnabled: true } }))?.calcomSyncEnabled ?? false;

const staffBranchIds = async (db: TenantDb | Tx, staffIds: string[]) =>
  (await db.staffBranch.findMany({ where: { staffId: { in: staffIds } }, select: { branchId: true } })).map((b) => b.branchId);

export const cancelAppointment = async (ctx: BookingContext, input: CancelAppointmentInput): Promise<AppointmentOut> => {
  const db = forCompany(ctx.db, ctx.companyId);
  const result = await db.$transaction(async (tx) => {
    const current = await requireAppointment(tx, input.id);
    if (current.status === "cancelled") return { appointment: current, changed: false };
    if (!isActive(current.status)) {
      throw new DomainError("PRECONDITION_FAILED", `a ${current.status.replace("_", "-")} appointment cannot be cancelled`);
    }
    const { count } = await tx.appointment.updateMany({
      where: { id: current.id, version: current.version },
      data: { status: "cancelled", cancelledAt: new Date(nowOf(ctx)), cancelReason: input.reason ?? null, version: { increment: 1 } },
    });
    if (count === 0) throw new DomainError("PRECONDITION_FAILED", "the appointment changed meanwhile; reload and try again");
    const appointment = await requireAppointment(tx, current.id);
    await enqueue(tx, ctx, appointment, syncEvents(await calendarSyncEnabled(tx), "cancel", "cancellation"));
    await audit(tx, ctx, appointment.id, "cancelled", { status: { from: current.status, to: "cancelled" }, reason: input.reason ?? null });
    return { appointment, changed: true, branches: await staffBranchIds(tx, [current.staffId]) };
  });
  if (result.changed) await ctx.cache?.invalidate([result.appointment.branchId, ...(result.branches ?? [])]);
  return toAppointmentOut(result.appointment, await zoneOf(db, ctx.companyId, result.appointment.branchId));
};

const finish = async (ctx: BookingContext, input: { id: string; expectedVersion?: number }, to: "no_show" | "completed") => {
  const db = forCompany(ctx.db, ctx.companyId);
  const appointment = await db.$transaction(async (tx) => {
    const current = await requireAppointment(tx, input.id);
    if (current.status === to) return current;
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new DomainError("PRECONDITION_FAILED", `expectedVersion ${input.expectedVersion} is stale; the appointment is at version ${current.version}`);
    }
    if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${current.status.replace("_", "-")} appointment cannot change to ${to.replace("_", "-")}`);
    if (current.startsAt.getTime() > nowOf(ctx)) throw new DomainError("PRECONDITION_FAILED", "the appointment has not started yet");
    const { count } = await tx.appointment.updateMany({
      where: { id: current.id, version: current.version },
      data: { status: to, version: { increment: 1 } },
    });
    if (count === 0) throw new DomainError("PRECONDITION_FAILED", "the appointment changed meanwhile; reload and try again");
    await audit(tx, ctx, current.id, to, { status: { from: current.status, to } });
    return requireAppointment(tx, current.id);
  });
  // The time stays blocked either way, so availability does not change.
  return toAppointmentOut(appointment, await zoneOf(db, ctx.companyId, appointment.branchId));
};

export const markNoShow = (ctx: BookingContext, input: { id: string; expectedVersion?: number }) => finish(ctx, input, "no_show");
export const completeAppointment = (ctx: BookingContext, input: { id: string; expectedVersion?: number }) => finish(ctx, input, "completed");

// ---------------------------------------------------------------------------------------------------
// reschedule

export const rescheduleAppointment = async (ctx: BookingContext, input: RescheduleAppointmentInput): Promise<AppointmentOut> => {
  const db = forCompany(ctx.db, ctx.companyId);
  const pool = poolOf(ctx.db);
  const current = await requireAppointment(db, input.id);
  if (current.version !== input.expectedVersion) {
    throw new DomainError("PRECONDITION_FAILED", `expectedVersion ${input.expectedVersion} is stale; the appointment is at version ${current.version}`);
  }
  if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${current.status.replace("_", "-")} appointment cannot be moved`);

  const timezone = await zoneOf(db, ctx.companyId, current.branchId);
  const start = Date.parse(input.start);
  const staffId = input.staffId ?? current.staffId;
  const conflictArgs = { branchId: current.branchId, serviceId: current.serviceId, start, staffId, timezone, excludeAppointmentId: current.id };
  const durationMs = current.endsAt.getTime() - current.startsAt.getTime();
  const { lock } = await acquireSlotLock(ctx, {
    branchId: current.branchId,
    staffId,
    resourceId: null,
    start: new Date(start),
    end: new Date(start + durationMs + current.bufferAfterMinutes * 60_000),
    holder: `reschedule:${current.id}:${input.expectedVersion}`,
  });
  if (!lock) throw await slotTaken(ctx, conflictArgs);
  try {
    const { moved, staffBranches } = await inTransaction(pool, async (tx) => {
      const { slot, loaded } = await recheckInTransaction(tx, ctx, {
        branchId: current.branchId,
        serviceId: current.serviceId,
        staffId,
        start,
        timezone,
        lockId: lock.id,
        excludeAppointmentId: current.id,
      });
      if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");
      const calendarSync = loaded.company.calcomSyncEnabled;
      const { values, p } = params();
      const co = p(ctx.companyId, "uuid");
      const corr = p(ctx.correlationId);
      const text = `
        WITH moved AS (
          UPDATE appointments
          SET starts_at = ${p(new Date(start), "timestamptz")}, ends_at = ${p(new Date(start + durationMs), "timestamptz")},
              staff_id = ${p(staffId, "uuid")}, resource_id = ${p(slot.resourceId ?? null, "uuid")}, version = version + 1,
              calendar_sync_status = CASE WHEN ${p(calendarSync, "boolean")} THEN 'pending'::calendar_sync_status ELSE calendar_sync_status END,
              updated_at = now()
          WHERE id = ${p(current.id, "uuid")} AND company_id = ${co} AND version = ${p(input.expectedVersion, "int")}
            AND status IN ('pending', 'confirmed')
          RETURNING *
        ),${outboxAndAuditCtes(p, ctx, {
          row: "moved",
          co,
          corr,
          events: syncEvents(calendarSync, "reschedule", "rescheduled"),
          action: "rescheduled",
          changes: `jsonb_build_object('start', jsonb_build_object('from', ${p(current.startsAt, "timestamptz")}, 'to', moved.starts_at),
            'staffId', jsonb_build_object('from', ${p(current.staffId, "uuid")}, 'to', moved.staff_id))`,
        })}
        SELECT ${APPOINTMENT_COLUMNS} FROM moved`;
      const { rows } = await tx.query<AppointmentRow>({ name: "askproai_reschedule_appointment", text, values });
      if (!rows[0]) throw new DomainError("PRECONDITION_FAILED", "the appointment changed meanwhile; reload and try again");
      return { moved: rows[0], staffBranches: loaded.staffBranches[staffId] ?? [] };
    });
    await ctx.cache?.invalidate([current.branchId, ...staffBranches, ...(await staffBranchIds(db, [current.staffId]))]);
    return toAppointmentOut(moved, timezone);
  } catch (error) {
    if ((error instanceof DomainError && error.code === "CONFLICT") || classifyDbError(error).kind === "overlap") {
      throw await slotTaken(ctx, conflictArgs);
    }
    throw error;
  } finally {
    await releaseLock(ctx, lock);
  }
};

// ---------------------------------------------------------------------------------------------------
// list

export const listAppointments = async (ctx: Pick<BookingContext, "db" | "companyId">, input: ListAppointmentsInput): Promise<AppointmentListItem[]> => {
  const db = forCompany(ctx.db, ctx.companyId);
  const branch = await db.branch.findUnique({ where: { id: input.branchId }, select: { timezone: true } });
  if (!branch) throw notFound("branch");
  const rows = await db.appointment.findMany({
    where: { branchId: input.branchId, status: { not: "failed" }, startsAt: { lt: new Date(input.to) }, endsAt: { gt: new Date(input.from) } },
    orderBy: [{ startsAt: "asc" }, { staffId: "asc" }],
    include: { customer: { select: { name: true, phone: true } } },
    take: 5_000,
  });
  return rows.map((a) => ({
    id: a.id,
    start: toZonedIso(a.startsAt.getTime(), branch.timezone),
    end: toZonedIso(a.endsAt.getTime(), branch.timezone),
    status: a.status,
    staffId: a.staffId,
    serviceId: a.serviceId,
    version: a.version,
    customer: { name: a.customer.name, phone: a.customer.phone },
  }));
};
