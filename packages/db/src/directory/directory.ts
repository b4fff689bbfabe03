import { notFound, type BranchSummary, type ServiceSummary, type StaffSummary } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import type { TenantDb } from "../tenant.js";

type Ctx = Pick<OperationContext, "db">;

export const listBranches = async ({ db }: Ctx): Promise<BranchSummary[]> =>
  db.branch.findMany({
    where: { isActive: true },
    orderBy: { name: "asc" },
    select: { id: true, name: true, timezone: true, phoneNumber: true, city: true },
  });

/** NOT_FOUND for a branch of another company as much as for one that does not exist. */
export const requireBranch = async (db: TenantDb, branchId: string) => {
  const branch = await db.branch.findUnique({ where: { id: branchId } });
  if (!branch || !branch.isActive) throw notFound("branch");
  return branch;
};

const serviceSelect = {
  id: true,
  name: true,
  durationMinutes: true,
  bufferBeforeMinutes: true,
  bufferAfterMinutes: true,
  priceMinor: true,
  currency: true,
  requiredSkillLevel: true,
  requiredResourceKind: true,
} as const;

/** Services of the company; with a branch, only those some staff member there offers. */
export const listServices = async ({ db }: Ctx, branchId?: string): Promise<ServiceSummary[]> => {
  if (branchId) await requireBranch(db, branchId);
  return db.service.findMany({
    where: {
      isActive: true,
      ...(branchId
        ? { skills: { some: { OR: [{ branchId }, { branchId: null }], staff: { isActive: true, branches: { some: { branchId } } } } } }
        : {}),
    },
    orderBy: { name: "asc" },
    select: serviceSelect,
  });
};

export const listStaff = async ({ db }: Ctx, branchId?: string): Promise<StaffSummary[]> => {
  if (branchId) await requireBranch(db, branchId);
  const staff = await db.staff.findMany({
    where: { isActive: true, ...(branchId ? { branches: { some: { branchId } } } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, branches: { select: { branchId: true } } },
  });
  return staff.map((s) => ({ id: s.id, name: s.name, branchIds: s.branches.map((b) => b.branchId) }));
};
