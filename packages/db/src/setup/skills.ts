/**
 * Which services a staff member does, at which level, and where (null = every branch of theirs). In the
 * simple and hotline models a skill only means "offers this service"; complex_service_matrix compares
 * the level with the service's required level. Removing a skill never touches booked appointments.
 */
import { DomainError, notFound, type SetSkillsInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { applyChange, branchesOfStaff, requireBranches } from "./change.js";

export interface SkillOut {
  staffId: string;
  serviceId: string;
  level: number;
  branchId: string | null;
}

const skillSelect = { staffId: true, serviceId: true, level: true, branchId: true } as const;

export const listSkills = (ctx: Pick<OperationContext, "db">, input?: { staffId?: string }): Promise<SkillOut[]> =>
  ctx.db.staffSkill.findMany({
    where: input?.staffId ? { staffId: input.staffId } : {},
    select: skillSelect,
    orderBy: [{ staffId: "asc" }, { serviceId: "asc" }, { branchId: "asc" }],
  });

/** Replaces the staff member's whole set of skills. */
export const setSkills = (ctx: OperationContext, input: SetSkillsInput): Promise<SkillOut[]> =>
  applyChange(ctx, async (tx) => {
    if (!(await tx.staff.findUnique({ where: { id: input.staffId }, select: { id: true } }))) throw notFound("staff member");
    const serviceIds = [...new Set(input.skills.map((s) => s.serviceId))];
    if ((await tx.service.count({ where: { id: { in: serviceIds } } })) !== serviceIds.length) {
      throw new DomainError("NOT_FOUND", "skills.serviceId: service not found", { fields: ["skills.serviceId"] });
    }
    await requireBranches(tx, input.skills.flatMap((s) => (s.branchId ? [s.branchId] : [])), "skills.branchId");
    const before = await tx.staffSkill.findMany({ where: { staffId: input.staffId }, select: skillSelect, orderBy: [{ serviceId: "asc" }, { branchId: "asc" }] });
    await tx.staffSkill.deleteMany({ where: { staffId: input.staffId } });
    await tx.staffSkill.createMany({
      data: input.skills.map((s) => ({ companyId: ctx.companyId, staffId: input.staffId, serviceId: s.serviceId, level: s.level, branchId: s.branchId ?? null })),
    });
    const after = await tx.staffSkill.findMany({ where: { staffId: input.staffId }, select: skillSelect, orderBy: [{ serviceId: "asc" }, { branchId: "asc" }] });
    const brief = (rows: SkillOut[]) => rows.map(({ serviceId, level, branchId }) => ({ serviceId, level, branchId }));
    return {
      result: after,
      audit: { action: "staff.skills", entity: "staff", entityId: input.staffId, changes: { skills: { from: brief(before), to: brief(after) } } },
      branches: await branchesOfStaff(tx, input.staffId),
    };
  });
