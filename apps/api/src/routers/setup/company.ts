import { companyReadiness, getCompanyProfile, listAuditLog, updateCompanyProfile } from "@askproai/db/setup";
import { auditLogInput, updateCompanyInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage, ownerOnly } from "./procedures.js";

export const companyRouter = router({
  get: manage.query(({ ctx }) => getCompanyProfile(ctx.op)),
  update: manage.input(updateCompanyInput).mutation(({ ctx, input }) => updateCompanyProfile(ctx.op, input)),
});

export const readinessProcedure = manage.query(({ ctx }) => companyReadiness(ctx.op));
export const auditLogProcedure = ownerOnly.input(auditLogInput).query(({ ctx, input }) => listAuditLog(ctx.op, input));
