/**
 * Hotline numbers: one number that answers for several branches and routes the caller to one of them
 * (packages/db/src/voice/routing.ts). Like a branch's number, a hotline number belongs to one owner
 * across all companies. Nothing in history refers to a hotline row (calls keep the number they came in
 * on), so a hotline is removed, not deactivated.
 */
import { notFound, type CreateHotlineInput, type UpdateHotlineInput } from "@askproai/shared";
import type { Prisma } from "../client.js";
import type { OperationContext } from "../context.js";
import { normalisePhone } from "../customers/phone.js";
import { diff } from "./audit.js";
import { PHONE_IN_USE } from "./branches.js";
import { applyChange, requireBranches, type SetupTx } from "./change.js";

export interface HotlineOut {
  id: string;
  name: string;
  phoneNumber: string;
  routes: { branchId: string; priority: number }[];
}

const hotlineSelect = {
  id: true,
  name: true,
  phoneNumber: true,
  routes: { select: { branchId: true, priority: true }, orderBy: [{ priority: "asc" }, { branchId: "asc" }] },
} satisfies Prisma.HotlineNumberSelect;

export const listHotlines = (ctx: Pick<OperationContext, "db">): Promise<HotlineOut[]> =>
  ctx.db.hotlineNumber.findMany({ select: hotlineSelect, orderBy: [{ name: "asc" }, { id: "asc" }] });

const replaceRoutes = async (tx: SetupTx, companyId: string, hotlineNumberId: string, routes: { branchId: string; priority: number }[]) => {
  await requireBranches(tx, routes.map((r) => r.branchId), "routes.branchId");
  await tx.hotlineRoute.deleteMany({ where: { hotlineNumberId } });
  if (routes.length) await tx.hotlineRoute.createMany({ data: routes.map((r) => ({ companyId, hotlineNumberId, ...r })) });
};

export const createHotline = async (ctx: OperationContext, input: CreateHotlineInput): Promise<HotlineOut> => {
  const phoneNumber = await normalisePhone(ctx, input.phoneNumber, "phoneNumber");
  return applyChange(
    ctx,
    async (tx) => {
      const { id } = await tx.hotlineNumber.create({ data: { companyId: ctx.companyId, name: input.name, phoneNumber }, select: { id: true } });
      await replaceRoutes(tx, ctx.companyId, id, input.routes);
      const out = (await tx.hotlineNumber.findUnique({ where: { id }, select: hotlineSelect }))!;
      return { result: out, audit: { action: "hotline.create", entity: "hotline", entityId: id, changes: { ...out } } };
    },
    PHONE_IN_USE,
  );
};

export const updateHotline = async (ctx: OperationContext, input: UpdateHotlineInput): Promise<HotlineOut> => {
  const phoneNumber = input.phoneNumber === undefined ? undefined : await normalisePhone(ctx, input.phoneNumber, "phoneNumber");
  return applyChange(
    ctx,
    async (tx) => {
      const before = await tx.hotlineNumber.findUnique({ where: { id: input.id }, select: hotlineSelect });
      if (!before) throw notFound("hotline");
      const changes = diff(before, { name: input.name, phoneNumber, routes: input.routes });
      if (Object.keys(changes).length === 0) return { result: before, audit: [] };
      if (input.name !== undefined || phoneNumber !== undefined) {
        await tx.hotlineNumber.update({ where: { id: input.id }, data: { name: input.name, phoneNumber } });
      }
      if (input.routes) await replaceRoutes(tx, ctx.companyId, input.id, input.routes);
      const after = (await tx.hotlineNumber.findUnique({ where: { id: input.id }, select: hotlineSelect }))!;
      return { result: after, audit: { action: "hotline.update", entity: "hotline", entityId: input.id, changes } };
    },
    PHONE_IN_USE,
  );
};

export const removeHotline = (ctx: OperationContext, id: string): Promise<{ id: string }> =>
  applyChange(ctx, async (tx) => {
    const before = await tx.hotlineNumber.findUnique({ where: { id }, select: hotlineSelect });
    if (!before) throw notFound("hotline");
    await tx.hotlineNumber.deleteMany({ where: { id } });
    return { result: { id }, audit: { action: "hotline.remove", entity: "hotline", entityId: id, changes: { ...before } } };
  });
