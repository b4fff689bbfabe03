import type { CustomerOut, CustomerUpsertInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";

type Ctx = Pick<OperationContext, "db" | "companyId">;

const select = { id: true, name: true, phone: true, email: true } as const;

/** By phone (digits anywhere in the number, e.g. the last four a caller reads out) or by name. */
export const searchCustomers = async ({ db }: Ctx, query: string, limit = 10): Promise<CustomerOut[]> => {
  const digits = query.replace(/[^\d]/g, "");
  const looksLikePhone = digits.length >= 3 && digits.length >= query.replace(/[\s+()/-]/g, "").length;
  return db.customer.findMany({
    where: looksLikePhone ? { phone: { contains: digits } } : { name: { contains: query, mode: "insensitive" } },
    orderBy: [{ name: "asc" }],
    take: limit,
    select,
  });
};

/** Creates or updates the company's customer with this phone number (E.164, unique per company). */
export const upsertCustomer = async ({ db, companyId }: Ctx, input: CustomerUpsertInput): Promise<CustomerOut> =>
  db.customer.upsert({
    where: { companyId_phone: { companyId, phone: input.phone } },
    create: { companyId, phone: input.phone, name: input.name, email: input.email ?? null, notes: input.notes ?? null },
    update: { name: input.name, ...(input.email !== undefined ? { email: input.email } : {}), ...(input.notes !== undefined ? { notes: input.notes } : {}) },
    select,
  });
