/**
 * The no-show policy: after the company's limit of no-shows (default 3; none when unset) a customer's
 * bookings need the desk's confirmation, so the voice agent does not book them directly.
 */
import type { OperationContext } from "../context.js";

type Ctx = Pick<OperationContext, "db">;

export interface NoShowPolicy {
  noShowCount: number;
  /** The company's limit; null = no limit. */
  limit: number | null;
  requiresDeskConfirmation: boolean;
}

const policyFor = async ({ db }: Ctx, customerId: string | null): Promise<NoShowPolicy> => {
  const [company, noShowCount] = await Promise.all([
    db.company.findFirstOrThrow({ select: { noShowLimit: true } }),
    customerId ? db.appointment.count({ where: { customerId, status: "no_show" } }) : Promise.resolve(0),
  ]);
  return { noShowCount, limit: company.noShowLimit, requiresDeskConfirmation: company.noShowLimit !== null && noShowCount >= company.noShowLimit };
};

/** The policy as it applies to this customer now. */
export const requiresDeskConfirmation = (ctx: Ctx, customerId: string): Promise<NoShowPolicy> => policyFor(ctx, customerId);

/** The same for a caller known only by number (E.164): a number the company does not know has no no-shows. */
export const requiresDeskConfirmationForPhone = async (ctx: Ctx, phone: string): Promise<NoShowPolicy> => {
  const customer = await ctx.db.customer.findFirst({ where: { phone }, select: { id: true } });
  return policyFor(ctx, customer?.id ?? null);
};
