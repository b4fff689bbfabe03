/** Phone numbers typed by people (desk, voice, scripts), read in the company's country. */
import { DomainError, toE164 } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { companyProfileOf } from "../directory/directory.js";

type Ctx = Pick<OperationContext, "db" | "companyId" | "caches" | "now">;

/**
 * E.164 of a number as typed ("0151 1234567", "+49 (151) 123 45 67", "0049 …"), read in the company's
 * country. An impossible number is a BAD_REQUEST naming `field` (e.g. "customer.phone").
 */
export const normalisePhone = async (ctx: Ctx, raw: string, field: string): Promise<string> => {
  const { country } = await companyProfileOf(ctx);
  const e164 = toE164(raw, country);
  if (!e164) {
    const where = raw.trim().startsWith("+") ? "" : ` (read in ${country})`;
    throw new DomainError("BAD_REQUEST", `${field}: not a possible phone number${where}`, { fields: [field] });
  }
  return e164;
};
