/**
 * The company's accounts at outside services that the owner connects: the Retell agent (calls and voice
 * functions find the company by it and by the number called) and the Stripe customer (billing webhooks
 * find the company by it), with the last webhook seen from each. Each id belongs to one company (unique
 * in the database); a taken one is CONFLICT without saying whose. The Cal.com connection (encrypted API
 * key, mappings, breaker state) is the calendar area's.
 */
import { notFound, toZonedIso, type UpdateIntegrationsInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { diff } from "./audit.js";
import { applyChange } from "./change.js";

export interface IntegrationsOut {
  retell: { agentId: string | null; connected: boolean; lastWebhookAt: string | null };
  stripe: {
    customerId: string | null;
    connected: boolean;
    subscriptionId: string | null;
    billingStatus: string;
    billingPeriodEnd: string | null;
    lastWebhookAt: string | null;
  };
}

export const getIntegrations = async (ctx: Pick<OperationContext, "db" | "sql" | "companyId">): Promise<IntegrationsOut> => {
  const company = await ctx.db.company.findFirst();
  if (!company) throw notFound("company");
  const { rows } = await ctx.sql.query<{ source: string; last: Date }>(
    "SELECT source::text, max(received_at) AS last FROM webhook_events WHERE company_id = $1::uuid GROUP BY source",
    [ctx.companyId],
  );
  const last = (source: string) => {
    const at = rows.find((r) => r.source === source)?.last;
    return at ? toZonedIso(at.getTime(), company.timezone) : null;
  };
  return {
    retell: { agentId: company.retellAgentId, connected: company.retellAgentId !== null, lastWebhookAt: last("retell") },
    stripe: {
      customerId: company.stripeCustomerId,
      connected: company.stripeCustomerId !== null,
      subscriptionId: company.stripeSubscriptionId,
      billingStatus: company.billingStatus,
      billingPeriodEnd: company.billingPeriodEnd ? toZonedIso(company.billingPeriodEnd.getTime(), company.timezone) : null,
      lastWebhookAt: last("stripe"),
    },
  };
};

export const updateIntegrations = async (ctx: OperationContext, input: UpdateIntegrationsInput): Promise<IntegrationsOut> => {
  await applyChange(
    ctx,
    async (tx) => {
      const before = await tx.company.findFirst({ select: { retellAgentId: true, stripeCustomerId: true } });
      if (!before) throw notFound("company");
      const changes = diff(before, input);
      if (Object.keys(changes).length === 0) return { result: null, audit: [] };
      await tx.company.update({ where: { id: ctx.companyId }, data: { retellAgentId: input.retellAgentId, stripeCustomerId: input.stripeCustomerId } });
      return { result: null, audit: { action: "integrations.update", entity: "company", entityId: ctx.companyId, changes } };
    },
    // Both ids are unique in the database; the violation does not say which, so name what was set.
    { unique: { field: [input.retellAgentId && "retellAgentId", input.stripeCustomerId && "stripeCustomerId"].filter(Boolean).join(" or "), message: "this id is already connected to another AskProAI account" } },
  );
  return getIntegrations(ctx);
};
