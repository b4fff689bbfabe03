import { companyReadiness, getCompanyProfile, getIntegrations, listAuditLog, updateCompanyProfile, updateIntegrations } from "@askproai/db/setup";
import { auditLogInput, updateCompanyInput, updateIntegrationsInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage, ownerOnly } from "./procedures.js";

export const companyRouter = router({
  get: manage.query(({ ctx }) => getCompanyProfile(ctx.op)),
  update: manage.input(updateCompanyInput).mutation(({ ctx, input }) => updateCompanyProfile(ctx.op, input)),
});

export const readinessProcedure = manage.query(({ ctx }) => companyReadiness(ctx.op));
export const auditLogProcedure = ownerOnly.input(auditLogInput).query(({ ctx, input }) => listAuditLog(ctx.op, input));

/** The owner connects the company's Retell agent and Stripe customer (Cal.com: the calendar area). */
export const integrationsRouter = router({
  get: ownerOnly.query(({ ctx }) => getIntegrations(ctx.op)),
  update: ownerOnly.input(updateIntegrationsInput).mutation(({ ctx, input }) => updateIntegrations(ctx.op, input)),
});
