/**
 * Which company and branch a call is for: a branch's own number answers for that branch; a hotline
 * number routes the caller (explicit choice, else the nearest branch with availability for the wanted
 * time; see routeCaller in @askproai/shared).
 */
import { localDateOf, notFound, routeCaller, type RouteDecision } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";
import { computeAvailability } from "../availability/compute.js";

export type InboundTarget =
  | { kind: "branch"; companyId: string; branchId: string }
  | { kind: "hotline"; companyId: string; hotlineNumberId: string; branchIds: string[] };

/** System-level lookup (the number is all a call tells us, the company is not known yet), hence the unscoped client. */
export const resolveInboundNumber = async (db: Db, toNumber: string): Promise<InboundTarget> => {
  const branch = await db.branch.findUnique({ where: { phoneNumber: toNumber }, select: { id: true, companyId: true, isActive: true } });
  if (branch?.isActive) return { kind: "branch", companyId: branch.companyId, branchId: branch.id };
  const hotline = await db.hotlineNumber.findUnique({
    where: { phoneNumber: toNumber },
    select: { id: true, companyId: true, routes: { orderBy: { priority: "asc" }, select: { branchId: true, branch: { select: { isActive: true } } } } },
  });
  if (!hotline) throw notFound("phone number");
  return { kind: "hotline", companyId: hotline.companyId, hotlineNumberId: hotline.id, branchIds: hotline.routes.filter((r) => r.branch.isActive).map((r) => r.branchId) };
};

export interface RouteCallRequest {
  toNumber: string;
  callerPhone?: string | null;
  explicitBranchId?: string | null;
  callerLocation?: { latitude: number; longitude: number } | null;
  /** With a service (and optionally a start), a branch counts as available only if it can serve it. */
  serviceId?: string | null;
  wantedStart?: number | null;
  now?: number;
}

export type RoutedCall = RouteDecision & { companyId: string };

export const routeCall = async (db: Db, req: RouteCallRequest): Promise<RoutedCall> => {
  const target = await resolveInboundNumber(db, req.toNumber);
  if (target.kind === "branch") return { companyId: target.companyId, branchId: target.branchId, reason: "explicit" };

  const branches = await db.branch.findMany({
    where: { companyId: target.companyId, id: { in: target.branchIds } },
    select: { id: true, name: true, latitude: true, longitude: true, areaCodes: true, timezone: true },
  });
  const ordered = target.branchIds.map((id) => branches.find((b) => b.id === id)).filter((b) => b !== undefined);
  const now = req.now ?? Date.now();
  const available = new Set<string>();
  await Promise.all(
    ordered.map(async (branch) => {
      if (!req.serviceId) return available.add(branch.id);
      const from = localDateOf(req.wantedStart ?? now, branch.timezone);
      const { slots } = await computeAvailability(
        poolOf(db),
        target.companyId,
        { branchId: branch.id, serviceId: req.serviceId, from, days: req.wantedStart ? 1 : 7 },
        now,
      ).catch(() => ({ slots: [] }));
      if (req.wantedStart ? slots.some((s) => s.start === req.wantedStart) : slots.length > 0) available.add(branch.id);
    }),
  );
  const decision = routeCaller({
    branches: ordered,
    explicitBranchId: req.explicitBranchId ?? null,
    callerPhone: req.callerPhone ?? null,
    callerLocation: req.callerLocation ?? null,
    branchesWithAvailability: available,
  });
  return { ...decision, companyId: target.companyId };
};
