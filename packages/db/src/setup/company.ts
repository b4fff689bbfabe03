/**
 * The company's own profile and booking policy. The zone, the business model and the policy count at
 * every branch (availability versions raised in the same transaction); zone and country are also kept
 * per process (companyProfileOf), so this process's copy is dropped at once.
 */
import { notFound, type UpdateCompanyInput } from "@askproai/shared";
import type { Company } from "../client.js";
import type { OperationContext } from "../context.js";
import { diff } from "./audit.js";
import { allBranchIds, applyChange } from "./change.js";

export interface CompanyProfileOut {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  country: string;
  businessModel: Company["businessModel"];
  minNoticeMinutes: number;
  horizonDays: number;
  slotStepMinutes: number;
}

const toOut = (c: Company): CompanyProfileOut => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  timezone: c.timezone,
  country: c.country,
  businessModel: c.businessModel,
  minNoticeMinutes: c.minNoticeMinutes,
  horizonDays: c.horizonDays,
  slotStepMinutes: c.slotStepMinutes,
});

/** Fields whose change alters availability at every branch. */
const AVAILABILITY_FIELDS = ["timezone", "businessModel", "minNoticeMinutes", "horizonDays", "slotStepMinutes"];

export const getCompanyProfile = async (ctx: Pick<OperationContext, "db">): Promise<CompanyProfileOut> => {
  const company = await ctx.db.company.findFirst();
  if (!company) throw notFound("company");
  return toOut(company);
};

export const updateCompanyProfile = (ctx: OperationContext, input: UpdateCompanyInput): Promise<CompanyProfileOut> =>
  applyChange(ctx, async (tx) => {
    const before = await tx.company.findFirst();
    if (!before) throw notFound("company");
    const changes = diff(toOut(before), input);
    if (Object.keys(changes).length === 0) return { result: toOut(before), audit: [] };
    // The tenant client limits this to the own company (its where is forced to the company's id).
    const updated = await tx.company.update({ where: { id: ctx.companyId }, data: input });
    return {
      result: toOut(updated),
      audit: { action: "company.update", entity: "company", entityId: ctx.companyId, changes },
      branches: AVAILABILITY_FIELDS.some((f) => f in changes) ? await allBranchIds(tx) : [],
      after: () => ctx.caches.invalidateCompany(ctx.companyId),
    };
  });
