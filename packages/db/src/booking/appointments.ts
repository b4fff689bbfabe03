/**
 * Booking operations shared by the desk (tRPC), the voice agent and the worker.
 *
 * create: idempotency key → slot lock (appointment_locks, short expiry) → availability checked again
 * inside the transaction → insert (EXCLUDE constraints as the last guard) → outbox + audit rows in the
 * same transaction → commit → lock released → cache generation bumped.
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
import { type Prisma, type Appointment } from "../client.js";
import { classifyDbError } from "../errors.js";
import { forCompany, type TenantDb } from "../tenant.js";
import { computeAvailability } from "./availability.js";
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

export const toAppointmentOut = (a: Appointment, timezone: string): AppointmentOut => ({
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
 * Claims (staff, start) for a short time. An expired claim (its process died) is taken over.
 * Returns null when somebody else holds it, with the holder so that a retry of the same request can
 * recognise itself.
 */
const acquireSlotLock = async (
  ctx: BookingContext,
  args: { branchId: string; staffId: string; resourceId: string | null; start: Date; end: Date; holder: string },
): Promise<{ lock: HeldLock | null; holder?: string }> => {
  const expiresAt = new Date(nowOf(ctx) + BOOKING_LOCK_TTL_MS);
  const rows = await ctx.db.$queryRaw<{ id: string; holder: string; mine: boolean }[]>`
    INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
    VALUES (gen_random_uuid(), ${ctx.companyId}::uuid, ${args.branchId}::uuid, ${args.staffId}::uuid, ${args.resourceId}::uuid,
            ${args.start}, ${args.end}, ${expiresAt}, 'booking', ${args.holder}, ${ctx.correlationId})
    ON CONFLICT (staff_id, starts_at) DO UPDATE
      SET company_id = EXCLUDED.company_id, branch_id = EXCLUDED.branch_id, resource_id = EXCLUDED.resource_id,
          ends_at = EXCLUDED.ends_at, expires_at = EXCLUDED.expires_at, kind = EXCLUDED.kind,
          holder = EXCLUDED.holder, correlation_id = EXCLUDED.correlation_id, created_at = now()
      WHERE appointment_locks.expires_at < now()
    RETURNING id, holder, true AS mine`;
  if (rows[0]) return { lock: { id: rows[0].id } };
  const existing = await ctx.db.appointmentLock.findUnique({
    where: { staffId_startsAt: { staffId: args.staffId, startsAt: args.start } },
    select: { holder: true },
  });
  return { lock: null, holder: existing?.holder };
};

const releaseLock = async (ctx: BookingContext, lock: HeldLock) => {
  await ctx.db.appointmentLock.deleteMany({ where: { id: lock.id } }).catch((error: unknown) => {
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
  const from = localDateOf(args.start - DAY_MS, args.timezone);
  const { slots } = await computeAvailability(
    ctx.db,
    ctx.companyId,
    { branchId: args.branchId, serviceId: args.serviceId, from: from < day ? from : day, days: 4 },
    nowOf(ctx),
    { excludeAppointmentId: args.excludeAppointmentId },
  );
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

/** Candidates free at `start` for this request, least busy first (spreads work across the team). */
const candidatesAt = (slots: { start: number; staffId: string; resourceId?: string }[], loaded: LoadedContext, start: number) => {
  const busyCount = new Map<string, number>();
  for (const b of loaded.busy) if (b.staffId) busyCount.set(b.staffId, (busyCount.get(b.staffId) ?? 0) + 1);
  return slots
    .filter((s) => s.start === start)
    .sort((a, b) => (busyCount.get(a.staffId) ?? 0) - (busyCount.get(b.staffId) ?? 0) || a.staffId.localeCompare(b.staffId));
};

/** Availability of one staff member at one start, re-read inside the booking transaction. */
const recheckInTransaction = async (
  tx: Tx,
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

/** Unexpected failures are kept as `failed` appointments (the debug view's timeline reads them). */
const recordFailure = async (
  ctx: BookingContext,
  input: CreateAppointmentInput,
  staffId: string,
  loaded: LoadedContext,
  error: unknown,
) => {
  try {
    const db = forCompany(ctx.db, ctx.companyId);
    const start = new Date(input.start);
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
        endsAt: new Date(start.getTime() + loaded.service.durationMinutes * 60_000),
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

const sameRequest = (a: Appointment, input: CreateAppointmentInput) =>
  a.branchId === input.branchId &&
  a.serviceId === input.serviceId &&
  a.startsAt.getTime() === Date.parse(input.start) &&
  (!input.staffId || a.staffId === input.staffId);

const replay = async (db: TenantDb, existing: Appointment, input: CreateAppointmentInput) => {
  if (!sameRequest(existing, input)) {
    throw new DomainError("BAD_REQUEST", "idempotencyKey: already used for a different booking", { fields: ["idempotencyKey"] });
  }
  return toAppointmentOut(existing, await zoneOf(db, existing.companyId, existing.branchId));
};

const findByKey = (db: TenantDb, companyId: string, idempotencyKey: string) =>
  db.appointment.findUnique({ where: { companyId_idempotencyKey: { companyId, idempotencyKey } } });

/**
 * The appointment of a twin request (same idempotency key): at once when it committed, after waiting
 * while it still holds a slot lock; null when there is no twin.
 */
const awaitTwin = async (db: TenantDb, ctx: BookingContext, key: string) => {
  const deadline = Date.now() + BOOKING_LOCK_TTL_MS;
  for (;;) {
    const existing = await findByKey(db, ctx.companyId, key);
    if (existing) return existing;
    const inFlight = await ctx.db.appointmentLock.count({ where: { companyId: ctx.companyId, holder: key, expiresAt: { gt: new Date() } } });
    if (inFlight === 0) return findByKey(db, ctx.companyId, key);
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

export const createAppointment = async (ctx: BookingContext, input: CreateAppointmentInput): Promise<AppointmentOut> => {
  const db = forCompany(ctx.db, ctx.companyId);
  const existing = await findByKey(db, ctx.companyId, input.idempotencyKey);
  if (existing) return replay(db, existing, input);

  const start = Date.parse(input.start);
  const timezone = await zoneOf(db, ctx.companyId, input.branchId);
  const conflictArgs = { branchId: input.branchId, serviceId: input.serviceId, start, staffId: input.staffId, timezone };
  /**
   * Every "taken" answer first asks whether the taker is this very request arriving twice (a retry
   * racing its original): then the original's appointment is the answer, never a CONFLICT.
   */
  const conflict = async (): Promise<AppointmentOut> => {
    const twin = await awaitTwin(db, ctx, input.idempotencyKey);
    if (twin) return replay(db, twin, input);
    throw await slotTaken(ctx, conflictArgs);
  };

  // Everything free at that start, for the chosen staff member or the whole eligible team.
  const computation = await computeAvailability(
    ctx.db,
    ctx.companyId,
    { branchId: input.branchId, serviceId: input.serviceId, staffId: input.staffId, from: localDateOf(start, timezone), days: 1 },
    nowOf(ctx),
  );
  const loaded = computation.ctx;
  const candidates = candidatesAt(computation.slots, loaded, start);
  if (candidates.length === 0) return conflict();

  const durationMs = loaded.service.durationMinutes * 60_000;
  const startDate = new Date(start);
  const endDate = new Date(start + durationMs);
  const lockEnd = new Date(start + durationMs + loaded.service.bufferAfterMinutes * 60_000);

  for (const candidate of candidates) {
    const { lock } = await acquireSlotLock(ctx, {
      branchId: input.branchId,
      staffId: candidate.staffId,
      resourceId: candidate.resourceId ?? null,
      start: startDate,
      end: lockEnd,
      holder: input.idempotencyKey,
    });
    if (!lock) continue;
    try {
      const created = await insertWithRecheck(ctx, db, input, { staffId: candidate.staffId, start, startDate, endDate, timezone, lockId: lock.id, loaded });
      await ctx.cache?.invalidate([input.branchId, ...(loaded.staffBranches[candidate.staffId] ?? [])]);
      ctx.log?.info({ appointmentId: created.id, staffId: created.staffId, branchId: created.branchId }, "appointment created");
      return toAppointmentOut(created, timezone);
    } catch (error) {
      const failure = classifyDbError(error);
      if (failure.kind === "unique") {
        // Same idempotency key committed concurrently by a twin request.
        const twin = await findByKey(db, ctx.companyId, input.idempotencyKey);
        if (twin) return replay(db, twin, input);
      }
      if ((error instanceof DomainError && error.code === "CONFLICT") || failure.kind === "overlap") {
        if (input.staffId) return conflict();
        continue; // another eligible staff member may still be free
      }
      if (error instanceof DomainError) throw error;
      await recordFailure(ctx, input, candidate.staffId, loaded, error);
      throw new DomainError(
        failure.kind === "unavailable" ? "SERVICE_UNAVAILABLE" : "INTERNAL",
        failure.kind === "unavailable" ? "database unavailable; the booking was not made" : "the booking could not be completed",
        failure.kind === "unavailable" ? { dependency: "postgresql" } : {},
        { cause: error },
      );
    } finally {
      await releaseLock(ctx, lock);
    }
  }
  return conflict();
};

const MAX_TRANSACTION_RETRIES = 3;

const insertWithRecheck = async (
  ctx: BookingContext,
  db: TenantDb,
  input: CreateAppointmentInput,
  args: { staffId: string; start: number; startDate: Date; endDate: Date; timezone: string; lockId: string; loaded: LoadedContext },
): Promise<Appointment> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const { slot } = await recheckInTransaction(tx, ctx, {
          branchId: input.branchId,
          serviceId: input.serviceId,
          staffId: args.staffId,
          start: args.start,
          timezone: args.timezone,
          lockId: args.lockId,
        });
        if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");

        const customer = await tx.customer.upsert({
          where: { companyId_phone: { companyId: ctx.companyId, phone: input.customer.phone } },
          create: { companyId: ctx.companyId, phone: input.customer.phone, name: input.customer.name, email: input.customer.email ?? null },
          update: input.customer.email ? { email: input.customer.email } : {},
          select: { id: true },
        });
        const service = args.loaded.service;
        const calendarSync = args.loaded.company.calcomSyncEnabled;
        const appointment = await tx.appointment.create({
          data: {
            companyId: ctx.companyId,
            branchId: input.branchId,
            staffId: args.staffId,
            serviceId: input.serviceId,
            customerId: customer.id,
            resourceId: slot.resourceId ?? null,
            startsAt: args.startDate,
            endsAt: args.endDate,
            bufferBeforeMinutes: service.bufferBeforeMinutes,
            bufferAfterMinutes: service.bufferAfterMinutes,
            status: "confirmed",
            source: ctx.source,
            idempotencyKey: input.idempotencyKey,
            correlationId: ctx.correlationId,
            notes: input.notes ?? null,
            priceMinor: service.priceMinor,
            currency: service.currency,
            calendarSyncStatus: calendarSync ? "pending" : "not_required",
          },
        });
        await enqueue(tx, ctx, appointment, syncEvents(calendarSync, "create", "confirmation"));
        await audit(tx, ctx, appointment.id, "created", {
          start: appointment.startsAt.toISOString(),
          end: appointment.endsAt.toISOString(),
          staffId: appointment.staffId,
          resourceId: appointment.resourceId,
          source: ctx.source,
        });
        return appointment;
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
  const current = await requireAppointment(db, input.id);
  if (current.version !== input.expectedVersion) {
    throw new DomainError("PRECONDITION_FAILED", `expectedVersion ${input.expectedVersion} is stale; the appointment is at version ${current.version}`);
  }
  if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${current.status.replace("_", "-")} appointment cannot be moved`);

  const timezone = await zoneOf(db, ctx.companyId, current.branchId);
  const start = Date.parse(input.start);
  const staffId = input.staffId ?? current.staffId;
  const conflictArgs = { branchId: current.branchId, serviceId: current.serviceId, start, staffId, timezone, excludeAppointmentId: current.id };
  const { ctx: loaded, slots } = await computeAvailability(
    ctx.db,
    ctx.companyId,
    { branchId: current.branchId, serviceId: current.serviceId, staffId, from: localDateOf(start, timezone), days: 1 },
    nowOf(ctx),
    { excludeAppointmentId: current.id },
  );
  if (!slots.some((s) => s.start === start && s.staffId === staffId)) throw await slotTaken(ctx, conflictArgs);

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
    const moved = await db.$transaction(async (tx) => {
      const { slot } = await recheckInTransaction(tx, ctx, {
        branchId: current.branchId,
        serviceId: current.serviceId,
        staffId,
        start,
        timezone,
        lockId: lock.id,
        excludeAppointmentId: current.id,
      });
      if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");
      const { count } = await tx.appointment.updateMany({
        where: { id: current.id, version: input.expectedVersion, status: { in: [...ACTIVE_STATUSES] } },
        data: {
          startsAt: new Date(start),
          endsAt: new Date(start + durationMs),
          staffId,
          resourceId: slot.resourceId ?? null,
          version: { increment: 1 },
          ...(loaded.company.calcomSyncEnabled ? { calendarSyncStatus: "pending" as const } : {}),
        },
      });
      if (count === 0) throw new DomainError("PRECONDITION_FAILED", "the appointment changed meanwhile; reload and try again");
      const appointment = await requireAppointment(tx, current.id);
      await enqueue(tx, ctx, appointment, syncEvents(loaded.company.calcomSyncEnabled, "reschedule", "rescheduled"));
      await audit(tx, ctx, current.id, "rescheduled", {
        start: { from: current.startsAt.toISOString(), to: appointment.startsAt.toISOString() },
        staffId: { from: current.staffId, to: staffId },
      });
      return appointment;
    });
    await ctx.cache?.invalidate([current.branchId, ...(loaded.staffBranches[staffId] ?? []), ...(await staffBranchIds(db, [current.staffId]))]);
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
