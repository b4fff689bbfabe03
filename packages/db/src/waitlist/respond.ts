/**
 * A waiting customer answers an offer by SMS ("JA", "JA 4711", "NEIN"; English "YES"/"NO" too). The
 * reply comes in over the signed SMS webhook, which knows only the sender's number: the offer is found
 * by it (and by the code when the customer has several open). YES books the held slot through the
 * normal createAppointment as that customer (the hold becomes the booking's lock; the idempotency key
 * is derived from the offer, so a repeated YES or a retry books once); the confirmation SMS follows
 * from the booking like any other. A YES that comes too late (the hold expired and the slot moved on)
 * is answered "it is gone". NO frees the slot for the next in line.
 */
import { DomainError, toZonedIso } from "@askproai/shared";
import { createAppointment } from "../booking/create.js";
import { poolOf } from "../client.js";
import { contextFor, type DomainDeps, type OperationContext, type OperationLog } from "../context.js";
import { planWaitlistMessage } from "../messaging/plan.js";
import { withdrawOffer } from "./match.js";
import { releaseOfferHold } from "./hold.js";

const YES = new Set(["JA", "J", "YES", "Y", "OK", "OKAY", "JAWOHL", "GERNE"]);
const NO = new Set(["NEIN", "N", "NO", "NOPE"]);

/** What a reply says: yes or no (first word), and the offer's code when one is given. */
export const parseReply = (body: string): { intent: "yes" | "no" | "other"; code?: string } => {
  const words = body.toUpperCase().replace(/[^A-ZÄÖÜ0-9]+/g, " ").trim().split(" ").filter(Boolean);
  const code = words.find((w) => /^\d{4}$/.test(w));
  const first = words[0] ?? "";
  const intent = YES.has(first) ? "yes" : NO.has(first) ? "no" : "other";
  return code ? { intent, code } : { intent };
};

export type ReplyOutcome = "booked" | "gone" | "declined" | "already_booked" | "ignored";

export interface ReplyResult {
  outcome: ReplyOutcome;
  companyId?: string;
  appointmentId?: string;
  /** Messages planned by the answer ("it is gone"), to deliver. */
  messageIds: string[];
}

interface OfferRow {
  id: string;
  companyId: string;
  customerId: string;
  state: string;
  code: string;
}

/** The sender's offers of the last two days, open ones first, newest first. System-wide: the number finds the company. */
const offersOf = async (deps: DomainDeps, phone: string) => {
  const { rows } = await poolOf(deps.db).query<OfferRow>({
    name: "askproai_offers_of_phone",
    text: `SELECT o.id, o.company_id AS "companyId", e.customer_id AS "customerId", o.state, o.code
           FROM waitlist_offers o
           JOIN waitlist_entries e ON e.id = o.entry_id AND e.company_id = o.company_id
           JOIN customers c ON c.id = e.customer_id AND c.company_id = o.company_id
           WHERE c.phone = $1 AND o.created_at > now() - interval '2 days'
           ORDER BY (o.state IN ('offered', 'confirming')) DESC, o.created_at DESC
           LIMIT 20`,
    values: [phone],
  });
  return rows;
};

export const respondToReply = async (
  deps: DomainDeps,
  input: { from: string; body: string; correlationId: string; log?: OperationLog; now?: () => number },
): Promise<ReplyResult> => {
  const { intent, code } = parseReply(input.body);
  if (intent === "other") return { outcome: "ignored", messageIds: [] };
  const offers = (await offersOf(deps, input.from)).filter((o) => !code || o.code === code);
  const target = offers.find((o) => o.state === "offered") ?? offers[0];
  if (!target) return { outcome: "ignored", messageIds: [] };
  const ctx = contextFor(deps, {
    companyId: target.companyId,
    correlationId: input.correlationId,
    actor: { type: "customer", id: target.customerId },
    source: "waitlist",
    log: input.log,
    now: input.now,
  });
  if (intent === "no") {
    const declined = target.state === "offered" && (await withdrawOffer(ctx, target.id, "declined"));
    return { outcome: declined ? "declined" : "ignored", companyId: target.companyId, messageIds: [] };
  }
  if (target.state === "accepted") return { outcome: "already_booked", companyId: target.companyId, messageIds: [] };
  if (target.state !== "offered") return gone(ctx, target.id);
  return confirmOffer(ctx, target.id);
};

const gone = async (ctx: OperationContext, offerId: string): Promise<ReplyResult> => {
  const messageIds = await ctx.sql.transaction((tx) => planWaitlistMessage(tx, ctx, { offerId, kind: "waitlist_gone" }));
  ctx.log.info({ waitlistOfferId: offerId }, "waitlist reply came too late");
  return { outcome: "gone", companyId: ctx.companyId, messageIds };
};

/** YES to an open offer: claimed (`confirming`) while its hold lasts, then booked. */
export const confirmOffer = async (ctx: OperationContext, offerId: string): Promise<ReplyResult> => {
  const { rowCount } = await ctx.sql.query({
    name: "askproai_claim_offer",
    text: `UPDATE waitlist_offers SET state = 'confirming', responded_at = to_timestamp($3::double precision / 1000), updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid AND state = 'offered' AND expires_at > to_timestamp($3::double precision / 1000)`,
    values: [offerId, ctx.companyId, ctx.now()],
  });
  if (rowCount !== 1) {
    const { rows } = await ctx.sql.query<{ state: string }>({ text: "SELECT state FROM waitlist_offers WHERE id = $1::uuid AND company_id = $2::uuid", values: [offerId, ctx.companyId] });
    if (rows[0]?.state === "accepted" || rows[0]?.state === "confirming") return { outcome: "already_booked", companyId: ctx.companyId, messageIds: [] };
    if (rows[0]?.state === "offered") await withdrawOffer(ctx, offerId, "expired", { expiredBy: ctx.now() });
    return gone(ctx, offerId);
  }
  return finishConfirmation(ctx, offerId);
};

interface Confirming {
  entryId: string;
  branchId: string;
  serviceId: string;
  staffId: string;
  startsAt: Date;
  customerId: string;
  phone: string;
  name: string;
  email: string | null;
  notes: string | null;
  timezone: string;
}

/**
 * Books a `confirming` offer (also after a crash: the worker's sweep calls it again; the idempotency
 * key makes a second run answer the first run's appointment). A slot that cannot be booked after all
 * ends the offer as withdrawn and tells the customer.
 */
export const finishConfirmation = async (ctx: OperationContext, offerId: string): Promise<ReplyResult> => {
  const { rows } = await ctx.sql.query<Confirming>({
    name: "askproai_confirming_offer",
    text: `SELECT o.entry_id AS "entryId", o.branch_id AS "branchId", e.service_id AS "serviceId", o.staff_id AS "staffId", o.starts_at AS "startsAt",
             c.id AS "customerId", c.phone, c.name, c.email, e.notes, b.timezone
           FROM waitlist_offers o
           JOIN waitlist_entries e ON e.id = o.entry_id AND e.company_id = o.company_id
           JOIN customers c ON c.id = e.customer_id AND c.company_id = o.company_id
           JOIN branches b ON b.id = o.branch_id AND b.company_id = o.company_id
           WHERE o.id = $1::uuid AND o.company_id = $2::uuid AND o.state = 'confirming'`,
    values: [offerId, ctx.companyId],
  });
  const offer = rows[0];
  if (!offer) return { outcome: "already_booked", companyId: ctx.companyId, messageIds: [] };
  let appointmentId: string;
  try {
    const appointment = await createAppointment(ctx, {
      branchId: offer.branchId,
      serviceId: offer.serviceId,
      staffId: offer.staffId,
      start: toZonedIso(offer.startsAt.getTime(), offer.timezone),
      customer: { phone: offer.phone, name: offer.name, ...(offer.email ? { email: offer.email } : {}) },
      idempotencyKey: `waitlist-offer:${offerId}`,
      ...(offer.notes ? { notes: offer.notes } : {}),
    });
    appointmentId = appointment.id;
  } catch (error) {
    if (!(error instanceof DomainError) || error.code === "SERVICE_UNAVAILABLE" || error.code === "INTERNAL") throw error;
    // Taken after all (a hold that had expired meanwhile), or the schedule changed: the customer hears it is gone.
    const messageIds = await ctx.sql.transaction(async (tx) => {
      await tx.query({
        text: "UPDATE waitlist_offers SET state = 'withdrawn', updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid AND state = 'confirming'",
        values: [offerId, ctx.companyId],
      });
      await releaseOfferHold(tx, ctx.companyId, { customerId: offer.customerId, staffId: offer.staffId, startsAt: offer.startsAt, branchId: offer.branchId });
      return planWaitlistMessage(tx, ctx, { offerId, kind: "waitlist_gone" });
    });
    ctx.log.warn({ waitlistOfferId: offerId, code: error.code }, "confirmed waitlist slot could not be booked");
    return { outcome: "gone", companyId: ctx.companyId, messageIds };
  }
  await ctx.sql.transaction(async (tx) => {
    await tx.query({
      text: "UPDATE waitlist_offers SET state = 'accepted', appointment_id = $3::uuid, updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid",
      values: [offerId, ctx.companyId, appointmentId],
    });
    await tx.query({
      text: "UPDATE waitlist_entries SET state = 'booked', appointment_id = $3::uuid, updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid",
      values: [offer.entryId, ctx.companyId, appointmentId],
    });
  });
  ctx.log.info({ waitlistOfferId: offerId, appointmentId }, "waitlist slot booked");
  return { outcome: "booked", companyId: ctx.companyId, appointmentId, messageIds: [] };
};
