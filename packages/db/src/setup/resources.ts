/**
 * Rooms (resources) of a branch: services that need a room of their `kind` are offered only while one
 * is free (complex_service_matrix). A room stays at its branch; a room with appointments ahead is
 * deactivated only with the caller's choice (./future-appointments.ts).
 */
import { notFound, type CreateResourceInput, type DeactivateInput, type UpdateResourceInput } from "@askproai/shared";
import type { Resource } from "../client.js";
import type { OperationContext } from "../context.js";
import { TARGETS, deactivate, reactivate } from "./activation.js";
import { diff } from "./audit.js";
import { applyChange, requireBranches } from "./change.js";

export interface ResourceOut {
  id: string;
  branchId: string;
  kind: string;
  name: string;
  isActive: boolean;
}

const toOut = (r: Resource): ResourceOut => ({ id: r.id, branchId: r.branchId, kind: r.kind, name: r.name, isActive: r.isActive });

export const listResourcesForSetup = async (ctx: Pick<OperationContext, "db">, input?: { includeInactive?: boolean }): Promise<ResourceOut[]> =>
  (
    await ctx.db.resource.findMany({
      where: input?.includeInactive ? {} : { isActive: true },
      orderBy: [{ branchId: "asc" }, { kind: "asc" }, { name: "asc" }],
    })
  ).map(toOut);

export const createResource = (ctx: OperationContext, input: CreateResourceInput): Promise<ResourceOut> =>
  applyChange(ctx, async (tx) => {
    await requireBranches(tx, [input.branchId]);
    const created = toOut(await tx.resource.create({ data: { companyId: ctx.companyId, branchId: input.branchId, kind: input.kind, name: input.name } }));
    return {
      result: created,
      audit: { action: "resource.create", entity: "resource", entityId: created.id, changes: { ...created } },
      branches: [input.branchId],
    };
  });

export const updateResource = (ctx: OperationContext, input: UpdateResourceInput): Promise<ResourceOut> =>
  applyChange(ctx, async (tx) => {
    const { id, ...patch } = input;
    const before = await tx.resource.findUnique({ where: { id } });
    if (!before) throw notFound("room");
    const changes = diff(toOut(before), patch);
    if (Object.keys(changes).length === 0) return { result: toOut(before), audit: [] };
    const updated = await tx.resource.update({ where: { id }, data: patch });
    return {
      result: toOut(updated),
      audit: { action: "resource.update", entity: "resource", entityId: id, changes },
      // A new kind changes which services the room serves.
      branches: "kind" in changes ? [before.branchId] : [],
    };
  });

export const deactivateResource = (ctx: OperationContext, input: DeactivateInput) => deactivate(ctx, TARGETS.resource, input);
export const reactivateResource = (ctx: OperationContext, id: string) => reactivate(ctx, TARGETS.resource, id);
