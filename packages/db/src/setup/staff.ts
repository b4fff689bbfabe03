/**
 * Staff members and where they work. Which services they do is ./skills.ts; their weekly hours per
 * branch are schedule.setWeeklyRules. A staff member is deactivated, never deleted (appointments
 * refer to them); leaving a branch with appointments ahead there needs the caller's choice.
 */
import { DomainError, notFound, type CreateStaffInput, type DeactivateInput, type FutureAppointmentsChoice, type UpdateStaffInput } from "@askproai/shared";
import type { Prisma } from "../client.js";
import type { OperationContext } from "../context.js";
import { TARGETS, deactivate, reactivate } from "./activation.js";
import type { Queryable } from "../sql.js";
import { diff, type AuditEntry } from "./audit.js";
import { applyChange, applyChangeInSql, requireBranches } from "./change.js";
import { settleAppointmentsAhead, type SettledAppointments } from "./future-appointments.js";

export interface StaffOut {
  id: string;
  name: string;
  email: string | null;
  isActive: boolean;
  branchIds: string[];
  skills: { serviceId: string; level: number; branchId: string | null }[];
}

const staffSelect = {
  id: true,
  name: true,
  email: true,
  isActive: true,
  branches: { select: { branchId: true }, orderBy: { branchId: "asc" } },
  skills: { select: { serviceId: true, level: true, branchId: true }, orderBy: [{ serviceId: "asc" }, { branchId: "asc" }] },
} satisfies Prisma.StaffSelect;

type StaffRow = { id: string; name: string; email: string | null; isActive: boolean; branches: { branchId: string }[]; skills: StaffOut["skills"] };
const toOut = (s: StaffRow): StaffOut => ({ id: s.id, name: s.name, email: s.email, isActive: s.isActive, branchIds: s.branches.map((b) => b.branchId), skills: s.skills });

export const listStaffForSetup = async (ctx: Pick<OperationContext, "db">, input?: { includeInactive?: boolean }): Promise<StaffOut[]> =>
  (await ctx.db.staff.findMany({ where: input?.includeInactive ? {} : { isActive: true }, orderBy: [{ name: "asc" }, { id: "asc" }], select: staffSelect })).map(toOut);

export const getStaffForSetup = async (ctx: Pick<OperationContext, "db">, id: string): Promise<StaffOut> => {
  const staff = await ctx.db.staff.findUnique({ where: { id }, select: staffSelect });
  if (!staff) throw notFound("staff member");
  return toOut(staff);
};

export const createStaff = (ctx: OperationContext, input: CreateStaffInput): Promise<StaffOut> =>
  applyChange(ctx, async (tx) => {
    const branchIds = [...new Set(input.branchIds)];
    await requireBranches(tx, branchIds, "branchIds");
    const created = await tx.staff.create({
      data: { companyId: ctx.companyId, name: input.name, email: input.email ?? null },
      select: { id: true },
    });
    if (branchIds.length) await tx.staffBranch.createMany({ data: branchIds.map((branchId) => ({ companyId: ctx.companyId, staffId: created.id, branchId })) });
    const out = toOut((await tx.staff.findUnique({ where: { id: created.id }, select: staffSelect }))!);
    return {
      result: out,
      audit: { action: "staff.create", entity: "staff", entityId: out.id, changes: { name: out.name, email: out.email, branchIds: out.branchIds } },
      branches: branchIds,
    };
  });

type StaffUpdate = StaffOut & { keptAppointments: SettledAppointments["kept"]; cancelledAppointments: SettledAppointments["cancelled"] };

/**
 * Name, e-mail and where they work, in one transaction. Leaving a branch removes their weekly hours and
 * branch-limited skills there; their appointments ahead at that branch are settled by `futureAppointments`.
 */
export const updateStaff = async (ctx: OperationContext, input: UpdateStaffInput): Promise<StaffUpdate> => {
  const settled = await applyChangeInSql(ctx, async (tx) => {
    const co = ctx.companyId;
    const { rows } = await tx.query<{ name: string; email: string | null }>(
      "SELECT name, email FROM staff WHERE id = $1::uuid AND company_id = $2::uuid FOR UPDATE",
      [input.id, co],
    );
    if (!rows[0]) throw notFound("staff member");
    const audit: AuditEntry[] = [];
    const changes = diff(rows[0], { name: input.name, email: input.email });
    if (Object.keys(changes).length) {
      await tx.query("UPDATE staff SET name = $3, email = $4, updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid", [
        input.id,
        co,
        input.name ?? rows[0].name,
        input.email === undefined ? rows[0].email : input.email,
      ]);
      audit.push({ action: "staff.update", entity: "staff", entityId: input.id, changes });
    }
    if (!input.branchIds) return { result: { kept: [], cancelled: [] } as SettledAppointments, audit };
    const branches = await moveStaff(tx, ctx, input.id, input.branchIds, input.futureAppointments);
    return { result: branches.settled, audit: [...audit, ...branches.audit], branches: branches.touched };
  });
  return { ...(await getStaffForSetup(ctx, input.id)), keptAppointments: settled.kept, cancelledAppointments: settled.cancelled };
};

const moveStaff = async (tx: Queryable, ctx: OperationContext, staffId: string, wanted: string[], choice: FutureAppointmentsChoice) => {
  const co = ctx.companyId;
  const next = [...new Set(wanted)];
  const { rows: known } = await tx.query<{ id: string }>("SELECT id FROM branches WHERE company_id = $1::uuid AND id = ANY($2::uuid[])", [co, next]);
  if (known.length !== next.length) throw new DomainError("NOT_FOUND", "branchIds: branch not found", { fields: ["branchIds"] });
  const { rows: current } = await tx.query<{ branchId: string }>(
    'SELECT branch_id AS "branchId" FROM staff_branches WHERE company_id = $1::uuid AND staff_id = $2::uuid',
    [co, staffId],
  );
  const before = current.map((r) => r.branchId);
  const removed = before.filter((b) => !next.includes(b));
  const added = next.filter((b) => !before.includes(b));
  if (removed.length === 0 && added.length === 0) return { settled: { kept: [], cancelled: [] }, audit: [], touched: [] };
  const settled = await settleAppointmentsAhead(tx, ctx, { staffId, branchIds: removed }, choice, {
    label: "the staff member at the branch(es) they leave",
    cancelReason: "staff member no longer works at this branch",
  });
  if (removed.length) {
    const args = [co, staffId, removed];
    await tx.query("DELETE FROM staff_branches WHERE company_id = $1::uuid AND staff_id = $2::uuid AND branch_id = ANY($3::uuid[])", args);
    await tx.query("DELETE FROM availability_rules WHERE company_id = $1::uuid AND staff_id = $2::uuid AND branch_id = ANY($3::uuid[])", args);
    await tx.query("DELETE FROM staff_skills WHERE company_id = $1::uuid AND staff_id = $2::uuid AND branch_id = ANY($3::uuid[])", args);
  }
  if (added.length) {
    await tx.query("INSERT INTO staff_branches (company_id, staff_id, branch_id) SELECT $1::uuid, $2::uuid, unnest($3::uuid[])", [co, staffId, added]);
  }
  const audit: AuditEntry = {
    action: "staff.branches",
    entity: "staff",
    entityId: staffId,
    changes: {
      branchIds: { from: before, to: next },
      futureAppointments: choice,
      keptAppointmentIds: settled.kept.map((a) => a.id),
      cancelledAppointmentIds: settled.cancelled.map((a) => a.id),
    },
  };
  return { settled, audit: [audit], touched: [...removed, ...added] };
};

export const deactivateStaff = (ctx: OperationContext, input: DeactivateInput) => deactivate(ctx, TARGETS.staff, input);
export const reactivateStaff = (ctx: OperationContext, id: string) => reactivate(ctx, TARGETS.staff, id);
