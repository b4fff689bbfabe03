/**
 * Waitlist entries: a customer waiting for a service at a branch (optionally one staff member) within a
 * window of local dates and times of day. The same operations serve the desk (tRPC) and the voice
 * agent (`join_waitlist`). Joining again for the same thing updates the window instead of queueing twice.
 */
import { DomainError, localDateOf, notFound, toZonedIso, type JoinWaitlistInput, type ListWaitlistInput, type WaitlistEntryOut } from "@askproai/shared";
import type { Prisma } from "../generated/prisma/client.js";
import { zoneOf, serviceShapeOf } from "../booking/rows.js";
import type { OperationContext } from "../context.js";
import { normalisePhone } from "../customers/phone.js";
import { classifyDbError } from "../errors.js";
import { releaseOfferHold } from "./hold.js";

const minuteOf = (hhmm: string | undefined, fallback: number) => {
  if (!hhmm) return fallback;
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};
const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

const entryInclude = {
  customer: { select: { id: true, name: true, phone: true } },
  offers: { where: { state: { in: ["offered", "confirming"] } }, take: 1 },
} satisfies Prisma.WaitlistEntryInclude;
type EntryRow = Prisma.WaitlistEntryGetPayload<{ include: typeof entryInclude }>;

const toEntryOut = (e: EntryRow, timezone: string): WaitlistEntryOut => {
  const offer = e.offers[0];
  return {
    id: e.id,
    state: e.state,
    branchId: e.branchId,
    serviceId: e.serviceId,
    staffId: e.staffId,
    customer: e.customer,
    fromDate: dateOnly(e.fromDate),
    toDate: dateOnly(e.toDate),
    earliestTime: hhmm(e.earliestMinute),
    latestTime: hhmm(e.latestMinute),
    notes: e.notes,
    createdAt: toZonedIso(e.createdAt.getTime(), timezone),
    appointmentId: e.appointmentId,
    offer: offer
      ? { id: offer.id, state: offer.state, start: toZonedIso(offer.startsAt.getTime(), timezone), staffId: offer.staffId, expiresAt: toZonedIso(offer.expiresAt.getTime(), timezone) }
      : null,
  };
};

/** Puts the customer on the waitlist (or updates their waiting entry for the same service, branch and staff member). */
export const joinWaitlist = async (ctx: OperationContext, input: JoinWaitlistInput): Promise<WaitlistEntryOut> => {
  const timezone = await zoneOf(ctx, input.branchId);
  await serviceShapeOf(ctx, input.serviceId);
  if (input.toDate < localDateOf(ctx.now(), timezone)) throw new DomainError("BAD_REQUEST", "toDate: the window is already over", { fields: ["toDate"] });
  const phone = await normalisePhone(ctx, input.customer.phone, "customer.phone");
  const window = {
    fromDate: new Date(`${input.fromDate}T00:00:00Z`),
    toDate: new Date(`${input.toDate}T00:00:00Z`),
    earliestMinute: minuteOf(input.earliestTime, 0),
    latestMinute: minuteOf(input.latestTime, 1439),
    notes: input.notes ?? null,
  };
  try {
    const entry = await ctx.db.$transaction(async (tx) => {
      const customer = await tx.customer.upsert({
        where: { companyId_phone: { companyId: ctx.companyId, phone } },
        create: { companyId: ctx.companyId, phone, name: input.customer.name, email: input.customer.email ?? null },
        update: input.customer.email ? { email: input.customer.email } : {},
        select: { id: true },
      });
      const same = await tx.waitlistEntry.findFirst({
        where: { customerId: customer.id, branchId: input.branchId, serviceId: input.serviceId, staffId: input.staffId ?? null, state: "waiting" },
        select: { id: true },
      });
      const saved = same
        ? await tx.waitlistEntry.update({ where: { id: same.id }, data: window, include: entryInclude })
        : await tx.waitlistEntry.create({
            data: {
              companyId: ctx.companyId, branchId: input.branchId, serviceId: input.serviceId, staffId: input.staffId ?? null, customerId: customer.id,
              ...window, source: ctx.source, correlationId: ctx.correlationId,
            },
            include: entryInclude,
          });
      // The worker's next sweep matches this branch again (a new wish may fit a slot that is free already).
      await tx.waitlistMatch.deleteMany({ where: { branchId: input.branchId } });
      return saved;
    });
    ctx.log.info({ waitlistEntryId: entry.id, branchId: entry.branchId }, "waitlist entry saved");
    return toEntryOut(entry, timezone);
  } catch (error) {
    // The staff member references (staff_id, company_id): another company's staff, or none at all.
    if (classifyDbError(error).kind === "foreign_key") throw notFound("staff member");
    throw error;
  }
};

export const listWaitlist = async (ctx: OperationContext, input: ListWaitlistInput): Promise<WaitlistEntryOut[]> => {
  const entries = await ctx.db.waitlistEntry.findMany({
    where: { ...(input.branchId ? { branchId: input.branchId } : {}), state: input.state ?? "waiting" },
    orderBy: { createdAt: "asc" },
    take: input.limit,
    include: entryInclude,
  });
  const zones = new Map<string, string>();
  for (const e of entries) if (!zones.has(e.branchId)) zones.set(e.branchId, await zoneOf(ctx, e.branchId).catch(() => "Europe/Berlin"));
  return entries.map((e) => toEntryOut(e, zones.get(e.branchId)!));
};

/** Takes the customer off the waitlist; an offer out to them is withdrawn and its slot freed. */
export const cancelWaitlistEntry = async (ctx: OperationContext, id: string): Promise<WaitlistEntryOut> => {
  const entry = await ctx.db.waitlistEntry.findUnique({ where: { id }, select: { id: true, branchId: true, state: true } });
  if (!entry) throw notFound("waitlist entry");
  if (entry.state === "waiting") {
    await ctx.sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; customerId: string; staffId: string; startsAt: Date; branchId: string }>({
        text: `WITH e AS (
                 UPDATE waitlist_entries SET state = 'cancelled', updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid AND state = 'waiting'
                 RETURNING id, customer_id
               )
               UPDATE waitlist_offers o SET state = 'withdrawn', updated_at = now() FROM e
               WHERE o.entry_id = e.id AND o.company_id = $2::uuid AND o.state IN ('offered', 'confirming')
               RETURNING o.id, e.customer_id AS "customerId", o.staff_id AS "staffId", o.starts_at AS "startsAt", o.branch_id AS "branchId"`,
        values: [id, ctx.companyId],
      });
      for (const offer of rows) await releaseOfferHold(tx, ctx.companyId, offer);
    });
  }
  const saved = await ctx.db.waitlistEntry.findUniqueOrThrow({ where: { id }, include: entryInclude });
  return toEntryOut(saved, await zoneOf(ctx, saved.branchId));
};
