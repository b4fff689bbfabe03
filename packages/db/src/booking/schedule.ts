/**
 * Changes to working time: exceptions (time off, holidays, closures, extra hours) and weekly rules.
 * Each one invalidates the availability cache of every branch it touches once it has committed.
 */
import { notFound, type AddExceptionInput, type ExceptionOut, type SetWeeklyRulesInput } from "@askproai/shared";
import type { AvailabilityException } from "../client.js";
import { forCompany, type TenantDb } from "../tenant.js";
import type { BookingContext } from "./context.js";

type ScheduleContext = Pick<BookingContext, "db" | "companyId" | "cache">;

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
  const db = forCompany(ctx.db, ctx.companyId);
  if (input.branchId && !(await db.branch.findUnique({ where: { id: input.branchId }, select: { id: true } }))) throw notFound("branch");
  if (input.staffId && !(await db.staff.findUnique({ where: { id: input.staffId }, select: { id: true } }))) throw notFound("staff member");
  const created = await db.availabilityException.create({
    data: {
      companyId: ctx.companyId,
      kind: input.kind,
      branchId: input.branchId ?? null,
      staffId: input.staffId ?? null,
      startsAt: new Date(input.start),
      endsAt: new Date(input.end),
      reason: input.reason ?? null,
    },
  });
  await ctx.cache?.invalidate(await affectedBranches(db, created));
  return toOut(created);
};

export const removeException = async (ctx: ScheduleContext, id: string): Promise<{ id: string }> => {
  const db = forCompany(ctx.db, ctx.companyId);
  const existing = await db.availabilityException.findUnique({ where: { id } });
  if (!existing) throw notFound("exception");
  await db.availabilityException.deleteMany({ where: { id } });
  await ctx.cache?.invalidate(await affectedBranches(db, existing));
  return { id };
};

export const listExceptions = async (ctx: ScheduleContext, range: { from: string; to: string; branchId?: string }) =>
  (
    await forCompany(ctx.db, ctx.companyId).availabilityException.findMany({
      where: {
        startsAt: { lt: new Date(range.to) },
        endsAt: { gt: new Date(range.from) },
        ...(range.branchId ? { OR: [{ branchId: range.branchId }, { branchId: null }] } : {}),
      },
      orderBy: { startsAt: "asc" },
    })
  ).map(toOut);

/** Replaces a staff member's whole week at one branch, atomically. */
export const setWeeklyRules = async (ctx: ScheduleContext, input: SetWeeklyRulesInput) => {
  const db = forCompany(ctx.db, ctx.companyId);
  const works = await db.staffBranch.findFirst({ where: { staffId: input.staffId, branchId: input.branchId } });
  if (!works) throw notFound("staff member at this branch");
  await db.$transaction([
    db.availabilityRule.deleteMany({ where: { staffId: input.staffId, branchId: input.branchId } }),
    db.availabilityRule.createMany({
      data: input.rules.map((r) => ({ companyId: ctx.companyId, branchId: input.branchId, staffId: input.staffId, ...r })),
    }),
  ]);
  await ctx.cache?.invalidate([input.branchId]);
  return { staffId: input.staffId, branchId: input.branchId, rules: input.rules };
};
