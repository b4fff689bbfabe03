/**
 * Changes to working time: exceptions (time off, holidays, closures, extra hours) and weekly rules.
 * Each one raises the availability version of every branch it touches in the same transaction.
 */
import { notFound, type AddExceptionInput, type ExceptionOut, type SetWeeklyRulesInput } from "@askproai/shared";
import type { AvailabilityException } from "../client.js";
import { bumpAvailabilityInPrisma } from "../availability/versions.js";
import type { OperationContext } from "../context.js";
import type { TenantDb } from "../tenant.js";

type ScheduleContext = Pick<OperationContext, "db" | "companyId">;

const toOut = (e: AvailabilityException): ExceptionOut => ({
  id: e.id,
  kind: e.kind,
  branchId: e.branchId,
  staffId: e.staffId,
  start: e.startsAt.toISOString(),
  end: e.endsAt.toISOString(),
  reason: e.reason,
});

/** The branches whose availability an exception changes. */
const affectedBranches = async (db: TenantDb, e: { branchId: string | null; staffId: string | null }) => {
  if (e.branchId) return [e.branchId];
  if (e.staffId) return (await db.staffBranch.findMany({ where: { staffId: e.staffId }, select: { branchId: true } })).map((b) => b.branchId);
  return (await db.branch.findMany({ select: { id: true } })).map((b) => b.id);
};

export const addException = async (ctx: ScheduleContext, input: AddExceptionInput): Promise<ExceptionOut> => {
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
  return toOut(created);
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

export const listExceptions = async (ctx: ScheduleContext, range: { from: string; to: string; branchId?: string }) => {
  if (range.branchId && !(await ctx.db.branch.findUnique({ where: { id: range.branchId }, select: { id: true } }))) throw notFound("branch");
  return (
    await ctx.db.availabilityException.findMany({
      where: {
        startsAt: { lt: new Date(range.to) },
        endsAt: { gt: new Date(range.from) },
        ...(range.branchId ? { OR: [{ branchId: range.branchId }, { branchId: null }] } : {}),
      },
      orderBy: { startsAt: "asc" },
    })
  ).map(toOut);
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
