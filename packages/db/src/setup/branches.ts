/**
 * Branches: address, zone, the number that routes calls to it, the callers' area codes it is nearest
 * to. A number belongs to one branch or hotline across all companies (the database's phone_numbers
 * registry); a taken number is CONFLICT without saying whose it is.
 */
import { notFound, type CreateBranchInput, type DeactivateInput, type UpdateBranchInput } from "@askproai/shared";
import type { Branch } from "../client.js";
import type { OperationContext } from "../context.js";
import { normalisePhone } from "../customers/phone.js";
import { companyProfileOf } from "../directory/directory.js";
import { TARGETS, deactivate, reactivate } from "./activation.js";
import { diff } from "./audit.js";
import { applyChange, type ChangeOptions } from "./change.js";

export const PHONE_IN_USE: ChangeOptions = {
  unique: { field: "phoneNumber", message: "this number already routes calls to a branch or hotline; each number can belong to only one" },
};

export interface BranchOut {
  id: string;
  name: string;
  timezone: string;
  phoneNumber: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  areaCodes: string[];
  isActive: boolean;
}

const toOut = (b: Branch): BranchOut => ({
  id: b.id,
  name: b.name,
  timezone: b.timezone,
  phoneNumber: b.phoneNumber,
  street: b.street,
  postalCode: b.postalCode,
  city: b.city,
  latitude: b.latitude,
  longitude: b.longitude,
  areaCodes: b.areaCodes,
  isActive: b.isActive,
});

export const listBranchesForSetup = async (ctx: Pick<OperationContext, "db">, input?: { includeInactive?: boolean }): Promise<BranchOut[]> =>
  (await ctx.db.branch.findMany({ where: input?.includeInactive ? {} : { isActive: true }, orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toOut);

/** A typed number as E.164 in the company's country; null clears, undefined leaves it. */
const phoneOf = async (ctx: OperationContext, raw: string | null | undefined) =>
  raw === undefined || raw === null ? raw : normalisePhone(ctx, raw, "phoneNumber");

export const createBranch = async (ctx: OperationContext, input: CreateBranchInput): Promise<BranchOut> => {
  const [{ timezone }, phoneNumber] = await Promise.all([companyProfileOf(ctx), phoneOf(ctx, input.phoneNumber)]);
  return applyChange(
    ctx,
    async (tx) => {
      const created = await tx.branch.create({
        data: {
          companyId: ctx.companyId,
          name: input.name,
          timezone: input.timezone ?? timezone,
          phoneNumber: phoneNumber ?? null,
          street: input.street ?? null,
          postalCode: input.postalCode ?? null,
          city: input.city ?? null,
          latitude: input.latitude ?? null,
          longitude: input.longitude ?? null,
          areaCodes: input.areaCodes ?? [],
        },
      });
      const out = toOut(created);
      return { result: out, audit: { action: "branch.create", entity: "branch", entityId: out.id, changes: { ...out } } };
    },
    PHONE_IN_USE,
  );
};

export const updateBranch = async (ctx: OperationContext, input: UpdateBranchInput): Promise<BranchOut> => {
  const { id, ...fields } = input;
  const patch = { ...fields, phoneNumber: await phoneOf(ctx, fields.phoneNumber) };
  return applyChange(
    ctx,
    async (tx) => {
      const before = await tx.branch.findUnique({ where: { id } });
      if (!before) throw notFound("branch");
      const changes = diff(toOut(before), patch);
      const updated = Object.keys(changes).length ? await tx.branch.update({ where: { id }, data: patch }) : before;
      return {
        result: toOut(updated),
        audit: Object.keys(changes).length ? { action: "branch.update", entity: "branch", entityId: id, changes } : [],
        // The zone decides every local time of the branch's availability.
        branches: "timezone" in changes ? [id] : [],
        after: () => ctx.caches.invalidateBranch(ctx.companyId, id),
      };
    },
    PHONE_IN_USE,
  );
};

/** A branch with appointments ahead: see ./future-appointments.ts. Its number stays reserved (clear it to free it). */
export const deactivateBranch = (ctx: OperationContext, input: DeactivateInput) => deactivate(ctx, TARGETS.branch, input);
export const reactivateBranch = (ctx: OperationContext, id: string) => reactivate(ctx, TARGETS.branch, id);
