import { notFound, phoneSearchDigits, toE164, toZonedIso, type CustomerDetail, type CustomerOut, type CustomerUpsertInput } from "@askproai/shared";
import { ACTIVE_STATUSES } from "../booking/statuses.js";
import { appointmentViewInclude, toAppointmentListItem } from "../booking/views.js";
import type { OperationContext } from "../context.js";
import { requiresDeskConfirmation } from "./no-show-policy.js";
import { companyProfileOf } from "../directory/directory.js";
import { normalisePhone } from "./phone.js";

type Ctx = Pick<OperationContext, "db" | "companyId" | "caches" | "now">;

const select = { id: true, name: true, phone: true, email: true, notes: true } as const;

/**
 * By phone (a whole number as people type it, or some of its digits, e.g. the last four a caller
 * reads out), by e-mail, or by name. A whole number's own customer comes first.
 */
/**
 * Prisma's `contains` becomes `LIKE '%…%'` without escaping: a query of "%%" or "__" would match almost
 * everyone. Backslash is PostgreSQL's default LIKE escape character.
 */
export const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export const searchCustomers = async (ctx: Ctx, query: string, limit = 10): Promise<CustomerOut[]> => {
  const { db } = ctx;
  const digits = query.replace(/\D/g, "");
  const looksLikePhone = digits.length >= 3 && digits.length >= query.replace(/[\s+()./-]/g, "").length;
  if (looksLikePhone) {
    const { country } = await companyProfileOf(ctx);
    const e164 = toE164(query, country);
    const exact = e164 ? await db.customer.findMany({ where: { phone: e164 }, select }) : [];
    const partial = await db.customer.findMany({
      where: { phone: { contains: phoneSearchDigits(query, country) }, ...(exact[0] ? { id: { not: exact[0].id } } : {}) },
      orderBy: [{ name: "asc" }],
      take: limit,
      select,
    });
    return [...exact, ...partial].slice(0, limit);
  }
  return db.customer.findMany({
    where: query.includes("@") ? { email: { contains: escapeLike(query), mode: "insensitive" } } : { name: { contains: escapeLike(query), mode: "insensitive" } },
    orderBy: [{ name: "asc" }],
    take: limit,
    select,
  });
};

/** Creates or updates the company's customer with this phone number (as typed; stored E.164, unique per company). */
export const upsertCustomer = async (ctx: Ctx, input: CustomerUpsertInput): Promise<CustomerOut> => {
  const phone = await normalisePhone(ctx, input.phone, "phone");
  return ctx.db.customer.upsert({
    where: { companyId_phone: { companyId: ctx.companyId, phone } },
    create: { companyId: ctx.companyId, phone, name: input.name, email: input.email ?? null, notes: input.notes ?? null },
    update: { name: input.name, ...(input.email !== undefined ? { email: input.email } : {}), ...(input.notes !== undefined ? { notes: input.notes } : {}) },
    select,
  });
};

const HISTORY_LIMIT = 20;

/** customers.get: the customer card with upcoming and recent appointments and the no-show count. */
export const getCustomer = async (ctx: Ctx, id: string): Promise<CustomerDetail> => {
  const { db } = ctx;
  const customer = await db.customer.findUnique({ where: { id }, select: { ...select, createdAt: true } });
  if (!customer) throw notFound("customer");
  const now = new Date(ctx.now());
  const [{ timezone }, upcoming, recent, policy, lastVisit] = await Promise.all([
    companyProfileOf(ctx),
    db.appointment.findMany({
      where: { customerId: id, status: { in: [...ACTIVE_STATUSES] }, startsAt: { gte: now } },
      orderBy: { startsAt: "asc" },
      take: HISTORY_LIMIT,
      include: appointmentViewInclude,
    }),
    db.appointment.findMany({
      where: { customerId: id, OR: [{ startsAt: { lt: now }, status: { not: "failed" } }, { status: "cancelled" }] },
      orderBy: { startsAt: "desc" },
      take: HISTORY_LIMIT,
      include: appointmentViewInclude,
    }),
    requiresDeskConfirmation(ctx, id),
    db.appointment.findFirst({
      where: { customerId: id, startsAt: { lt: now }, status: { in: ["pending", "confirmed", "completed"] } },
      orderBy: { startsAt: "desc" },
      select: { startsAt: true, branch: { select: { timezone: true } } },
    }),
  ]);
  return {
    id: customer.id,
    name: customer.name,
    phone: customer.phone,
    email: customer.email,
    notes: customer.notes,
    createdAt: toZonedIso(customer.createdAt.getTime(), timezone),
    noShowCount: policy.noShowCount,
    noShowLimit: policy.limit,
    requiresDeskConfirmation: policy.requiresDeskConfirmation,
    lastVisitAt: lastVisit ? toZonedIso(lastVisit.startsAt.getTime(), lastVisit.branch.timezone) : null,
    upcoming: upcoming.map(toAppointmentListItem),
    recent: recent.map(toAppointmentListItem),
  };
};
