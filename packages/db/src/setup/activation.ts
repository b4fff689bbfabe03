/**
 * Deactivating and reactivating what history refers to (branches, staff, services, rooms): rows are
 * never deleted, only switched off, so past appointments keep their names. Deactivating settles the
 * appointments ahead first (./future-appointments.ts), then switches the row off, audits, and raises the
 * availability of every branch it counted at, all in one transaction.
 */
import { notFound, type AffectedAppointment, type DeactivateInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import type { Queryable } from "../sql.js";
import { applyChangeInSql } from "./change.js";
import { settleAppointmentsAhead, type AppointmentScope } from "./future-appointments.js";

export interface ActivationTarget {
  table: "branches" | "staff" | "services" | "resources";
  entity: "branch" | "staff" | "service" | "resource";
  /** How the refusal names it: "staff member", "service", … */
  label: string;
  scope: (id: string) => AppointmentScope;
  /** The branches whose availability the row counts in (plain SQL, inside the transaction). */
  branchesSql: string;
  /** Drop this process's copies after the commit. */
  invalidate?: (ctx: OperationContext, id: string) => void;
}

// $2 (the row's id) is unused here but bound like in the other targets' statements.
const ALL_BRANCHES = "SELECT id FROM branches WHERE company_id = $1::uuid AND $2::uuid IS NOT NULL";

export const TARGETS = {
  branch: {
    table: "branches",
    entity: "branch",
    label: "branch",
    scope: (id) => ({ branchId: id }),
    branchesSql: "SELECT id FROM branches WHERE company_id = $1::uuid AND id = $2::uuid",
    invalidate: (ctx, id) => ctx.caches.invalidateBranch(ctx.companyId, id),
  },
  staff: {
    table: "staff",
    entity: "staff",
    label: "staff member",
    scope: (id) => ({ staffId: id }),
    branchesSql: "SELECT branch_id AS id FROM staff_branches WHERE company_id = $1::uuid AND staff_id = $2::uuid",
  },
  service: {
    table: "services",
    entity: "service",
    label: "service",
    scope: (id) => ({ serviceId: id }),
    branchesSql: ALL_BRANCHES,
    invalidate: (ctx, id) => ctx.caches.invalidateService(ctx.companyId, id),
  },
  resource: {
    table: "resources",
    entity: "resource",
    label: "room",
    scope: (id) => ({ resourceId: id }),
    branchesSql: "SELECT branch_id AS id FROM resources WHERE company_id = $1::uuid AND id = $2::uuid",
  },
} satisfies Record<string, ActivationTarget>;

export interface DeactivationResult {
  id: string;
  isActive: false;
  /** Appointments ahead left booked ("keep") or cancelled ("cancel"). */
  keptAppointments: AffectedAppointment[];
  cancelledAppointments: AffectedAppointment[];
}

const branchesOf = async (tx: Queryable, target: ActivationTarget, companyId: string, id: string) =>
  (await tx.query<{ id: string }>(target.branchesSql, [companyId, id])).rows.map((r) => r.id);

/** Sets the flag (and updated_at where the table keeps one: Prisma's @updatedAt is not applied to plain SQL). */
const setActive = (tx: Queryable, target: ActivationTarget, companyId: string, id: string, active: boolean) =>
  tx.query(`UPDATE ${target.table} SET is_active = $3${target.table === "resources" ? "" : ", updated_at = now()"} WHERE id = $1::uuid AND company_id = $2::uuid`, [
    id,
    companyId,
    active,
  ]);

export const deactivate = (ctx: OperationContext, target: ActivationTarget, input: DeactivateInput): Promise<DeactivationResult> =>
  applyChangeInSql(ctx, async (tx) => {
    const { rows } = await tx.query<{ isActive: boolean }>(
      `SELECT is_active AS "isActive" FROM ${target.table} WHERE id = $1::uuid AND company_id = $2::uuid FOR UPDATE`,
      [input.id, ctx.companyId],
    );
    if (!rows[0]) throw notFound(target.label);
    const result: DeactivationResult = { id: input.id, isActive: false, keptAppointments: [], cancelledAppointments: [] };
    if (!rows[0].isActive) return { result, audit: [] };
    const settled = await settleAppointmentsAhead(tx, ctx, target.scope(input.id), input.futureAppointments, {
      label: `the ${target.label}`,
      cancelReason: `${target.label} no longer available`,
    });
    await setActive(tx, target, ctx.companyId, input.id, false);
    return {
      result: { ...result, keptAppointments: settled.kept, cancelledAppointments: settled.cancelled },
      audit: {
        action: `${target.entity}.deactivate`,
        entity: target.entity,
        entityId: input.id,
        changes: {
          isActive: { from: true, to: false },
          futureAppointments: input.futureAppointments,
          keptAppointmentIds: settled.kept.map((a) => a.id),
          cancelledAppointmentIds: settled.cancelled.map((a) => a.id),
        },
      },
      branches: await branchesOf(tx, target, ctx.companyId, input.id),
      after: () => target.invalidate?.(ctx, input.id),
    };
  });

export const reactivate = (ctx: OperationContext, target: ActivationTarget, id: string): Promise<{ id: string; isActive: true }> =>
  applyChangeInSql(ctx, async (tx) => {
    const { rows } = await tx.query<{ isActive: boolean }>(
      `SELECT is_active AS "isActive" FROM ${target.table} WHERE id = $1::uuid AND company_id = $2::uuid FOR UPDATE`,
      [id, ctx.companyId],
    );
    if (!rows[0]) throw notFound(target.label);
    const result = { id, isActive: true as const };
    if (rows[0].isActive) return { result, audit: [] };
    await setActive(tx, target, ctx.companyId, id, true);
    return {
      result,
      audit: { action: `${target.entity}.reactivate`, entity: target.entity, entityId: id, changes: { isActive: { from: false, to: true } } },
      branches: await branchesOf(tx, target, ctx.companyId, id),
      after: () => target.invalidate?.(ctx, id),
    };
  });
