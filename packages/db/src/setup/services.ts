/**
 * Services: duration, buffers, price (minor units of a currency), the skill level and room kind the
 * complex model needs. A change counts at every branch (availability versions raised in the same
 * transaction). Appointments keep their own start, end and buffers, so changing a service's duration
 * or buffers never moves or stretches one that is booked.
 */
import { notFound, type CreateServiceInput, type DeactivateInput, type UpdateServiceInput } from "@askproai/shared";
import type { Service } from "../client.js";
import type { OperationContext } from "../context.js";
import { TARGETS, deactivate, reactivate } from "./activation.js";
import { diff } from "./audit.js";
import { allBranchIds, applyChange } from "./change.js";

export interface ServiceOut {
  id: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceMinor: number;
  currency: string;
  requiredSkillLevel: number | null;
  requiredResourceKind: string | null;
  isActive: boolean;
}

const toOut = (s: Service): ServiceOut => ({
  id: s.id,
  name: s.name,
  description: s.description,
  durationMinutes: s.durationMinutes,
  bufferBeforeMinutes: s.bufferBeforeMinutes,
  bufferAfterMinutes: s.bufferAfterMinutes,
  priceMinor: s.priceMinor,
  currency: s.currency,
  requiredSkillLevel: s.requiredSkillLevel,
  requiredResourceKind: s.requiredResourceKind,
  isActive: s.isActive,
});

export const listServicesForSetup = async (ctx: Pick<OperationContext, "db">, input?: { includeInactive?: boolean }): Promise<ServiceOut[]> =>
  (await ctx.db.service.findMany({ where: input?.includeInactive ? {} : { isActive: true }, orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toOut);

export const createService = (ctx: OperationContext, input: CreateServiceInput): Promise<ServiceOut> =>
  applyChange(ctx, async (tx) => {
    const created = toOut(
      await tx.service.create({
        data: {
          companyId: ctx.companyId,
          ...input,
          description: input.description ?? null,
          requiredSkillLevel: input.requiredSkillLevel ?? null,
          requiredResourceKind: input.requiredResourceKind ?? null,
        },
      }),
    );
    return { result: created, audit: { action: "service.create", entity: "service", entityId: created.id, changes: { ...created } } };
  });

export const updateService = (ctx: OperationContext, input: UpdateServiceInput): Promise<ServiceOut> =>
  applyChange(ctx, async (tx) => {
    const { id, ...patch } = input;
    const before = await tx.service.findUnique({ where: { id } });
    if (!before) throw notFound("service");
    const changes = diff(toOut(before), patch);
    if (Object.keys(changes).length === 0) return { result: toOut(before), audit: [] };
    const updated = await tx.service.update({ where: { id }, data: patch });
    return {
      result: toOut(updated),
      audit: { action: "service.update", entity: "service", entityId: id, changes },
      branches: await allBranchIds(tx),
      after: () => ctx.caches.invalidateService(ctx.companyId, id),
    };
  });

/** A service with appointments ahead: see ./future-appointments.ts. */
export const deactivateService = (ctx: OperationContext, input: DeactivateInput) => deactivate(ctx, TARGETS.service, input);
export const reactivateService = (ctx: OperationContext, id: string) => reactivate(ctx, TARGETS.service, id);
