/**
 * Working time: exceptions (time off, sick days, holidays, closures, extra hours) and weekly rules,
 * to read before changing them and to change. Each change raises the availability version of every
 * branch it touches in the same transaction.
 *
 * Instants are answered with an offset: an exception of one branch in that branch's zone, one without a
 * branch (a staff member's everywhere, or company-wide) in the company's zone (`companies.timezone`).
 */
import {
  notFound,
  toZonedIso,
  type AddExceptionInput,
  type AddExceptionOut,
  type ExceptionOut,
  type ListExceptionsInput,
  type SetWeeklyRulesInput,
  type WeeklyRulesInput,
  type WeeklyRulesOut,
} from "@askproai/shared";
import type { AvailabilityException } from "../client.js";
import { bumpAvailabilityInPrisma } from "../availability/versions.js";
import { ACTIVE_STATUSES } from "../booking/statuses.js";
import { appointmentViewInclude, toAppointmentListItem } from "../booking/views.js";
import type { OperationContext } from "../context.js";
import { companyProfileOf, requireBranch } from "../directory/directory.js";
import type { TenantDb } from "../tenant.js";

type ScheduleContext = Pick<OperationContext, "db" | "companyId" | "caches" | "now">;

/** The zone each exception is answered in: its branch's, else the company's. */
const exceptionZones = async (ctx: ScheduleContext) => {
  const [{ timezone }, branches] = await Promise.all([companyProfileOf(ctx), ctx.db.branch.findMany({ select: { id: true, timezone: true } })]);
  const byBranch = new Map(branches.map((b) => [b.id, b.timezone]));
  return (branchId: string | null) => (branchId ? byBranch.get(branchId) : undefined) ?? timezone;
};

const toOut = (e: AvailabilityException, timezone: string): ExceptionOut => ({
  id: e.id,
  kind: e.kind,
  branchId: e.branchId,
  staffId: e.staffId,
  start: toZonedIso(e.startsAt.getTime(), timezone),
  end: toZonedIso(e.endsAt.getTime(), timezone),
  reason: e.reason,
});

/** The branches whose availability an exception changes. */
const affectedBranches = async (db: TenantDb, e: { branchId: string | null; staffId: string | null }) => {
  if (e.branchId) return [e.branchId];
  if (e.staffId) return (await db.staffBranch.findMany({ where: { staffId: e.staffId }, select: { branchId: true } })).map((b) => b.branchId);
  return (await db.branch.findMany({ select: { id: true } })).map((b) => b.id);
};

const MAX_AFFECTED = 500;

/**
 * Adds an exception. Time that is taken away (every kind but extra availability) may hold booked
 * appointments: they are answered as `affectedAppointments` and left as they are, so the desk can
 * move or cancel them with the customer rather than have them vanish.
 */
export const addException = async (ctx: ScheduleContext, input: AddExceptionInput): Promise<AddExceptionOut> => {
  const db = ctx.db;
  if (input.branchId && !(await db.branch.findUnique({ where: { id: input.branchId }, select: { id: true } }))) throw notFound("branch");
  if (input.staffId && !(await db.staff.findUnique({ where: { id: input.staffId }, select: { id: true } }))) throw notFound("staff member");
  const branches = await affectedBranches(db, { branchId: input.branchId ?? null, staffId: input.staffId ?? null });
  const [created] = await db.$transaction([
    db.availabilityException.create({
      data: {
        companyId: ctx.companyId,
        kind: input.kind,
        branchId: input.branchId ?? null,
        staffId: input.staffId ?? null,
        startsAt: new Date(input.start),
        endsAt: new Date(input.end),
        reason: input.reason ?? null,
      },
    }),
    bumpAvailabilityInPrisma(db, ctx.companyId, branches),
  ]);
  const affected =
    input.kind === "extra_availability"
      ? []
      : await db.appointment.findMany({
          where: {
            status: { in: [...ACTIVE_STATUSES] },
            startsAt: { lt: created.endsAt },
            endsAt: { gt: created.startsAt },
            ...(input.branchId ? { branchId: input.branchId } : {}),
            ...(input.staffId ? { staffId: input.staffId } : {}),
          },
          orderBy: [{ startsAt: "asc" }, { staffId: "asc" }],
          include: appointmentViewInclude,
          take: MAX_AFFECTED,
        });
  const zoneOf = await exceptionZones(ctx);
  return { ...toOut(created, zoneOf(created.branchId)), affectedAppointments: affected.map(toAppointmentListItem) };
};

export const removeException = async (ctx: ScheduleContext, id: string): Promise<{ id: string }> => {
  const db = ctx.db;
  const existing = await db.availabilityException.findUnique({ where: { id } });
  if (!existing) throw notFound("exception");
  await db.$transaction([
    db.availabilityException.deleteMany({ where: { id } }),
    bumpAvailabilityInPrisma(db, ctx.companyId, await affectedBranches(db, existing)),
  ]);
  return { id };
};

/** Exceptions overlapping [from, to); with a branch, those of that branch and the company-wide ones. */
export const listExceptions = async (ctx: ScheduleContext, range: ListExceptionsInput): Promise<ExceptionOut[]> => {
  if (range.branchId && !(await ctx.db.branch.findUnique({ where: { id: range.branchId }, select: { id: true } }))) throw notFound("branch");
  const [rows, zoneOf] = await Promise.all([
    ctx.db.availabilityException.findMany({
      where: {
        startsAt: { lt: new Date(range.to) },
        endsAt: { gt: new Date(range.from) },
        ...(range.branchId ? { OR: [{ branchId: range.branchId }, { branchId: null }] } : {}),
      },
      orderBy: { startsAt: "asc" },
    }),
    exceptionZones(ctx),
  ]);
  return rows.map((e) => toOut(e, zoneOf(e.branchId)));
};

/**
 * The weekly working hours at a branch, per staff member working there (or of one of them), in the
 * branch's local minutes: what `setWeeklyRules` replaces, readable before it does.
 */
export const getWeeklyRules = async (ctx: ScheduleContext, input: WeeklyRulesInput): Promise<WeeklyRulesOut> => {
  const branch = await requireBranch(ctx.db, input.branchId);
  const staff = await ctx.db.staff.findMany({
    where: { isActive: true, branches: { some: { branchId: input.branchId } }, ...(input.staffId ? { id: input.staffId } : {}) },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      rules: {
        where: { branchId: input.branchId },
        orderBy: [{ weekday: "asc" }, { startMinute: "asc" }],
        select: { weekday: true, startMinute: true, endMinute: true, validFrom: true, validUntil: true },
      },
    },
  });
  if (input.staffId && staff.length === 0) throw notFound("staff member at this branch");
  // `date` columns arrive as UTC midnight: their UTC date is the local date.
  const localDate = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  return {
    branchId: branch.id,
    timezone: branch.timezone,
    staff: staff.map((s) => ({
      staffId: s.id,
      staffName: s.name,
      rules: s.rules.map((r) => ({ ...r, validFrom: localDate(r.validFrom), validUntil: localDate(r.validUntil) })),
    })),
  };
};

/** Replaces a staff member's whole week at one branch, atomically. */
export const setWeeklyRules = async (ctx: ScheduleContext, input: SetWeeklyRulesInput) => {
  const db = ctx.db;
  const works = await db.staffBranch.findFirst({ where: { staffId: input.staffId, branchId: input.branchId } });
  if (!works) throw notFound("staff member at this branch");
  await db.$transaction([
    db.availabilityRule.deleteMany({ where: { staffId: input.staffId, branchId: input.branchId } }),
    db.availabilityRule.createMany({
      data: input.rules.map((r) => ({ companyId: ctx.companyId, branchId: input.branchId, staffId: input.staffId, ...r })),
    }),
    bumpAvailabilityInPrisma(db, ctx.companyId, [input.branchId]),
  ]);
  return { staffId: input.staffId, branchId: input.branchId, rules: input.rules };
};
