/**
 * Matching: the waiting customers of a branch, in the order they joined, each offered the earliest free
 * slot in their window that they have not been offered before, held for them for the company's hold
 * time (default 10 minutes). A held slot is busy for everyone else, so a slot is never offered twice at
 * once, and the next in line is offered something else or nothing. Runs when the branch's availability
 * changed (a cancellation, a move, a schedule change, an ended hold): see sweep.ts.
 */
import { randomInt } from "node:crypto";
import { localDateOf } from "@askproai/shared";
import { computeAvailability } from "../availability/compute.js";
import type { OperationContext } from "../context.js";
import { classifyDbError } from "../errors.js";
import { localMinuteOfDay } from "../messaging/local-time.js";
import { isQuietTime } from "../messaging/quiet-hours.js";
import { planWaitlistMessage } from "../messaging/plan.js";
import { holdLost, placeOfferHold, releaseOfferHold, type OfferSlot } from "./hold.js";

const MAX_WINDOW_DAYS = 31;
const ENTRIES_PER_RUN = 50;
const TRIES_PER_ENTRY = 3;

interface WaitingEntry {
  id: string;
  customerId: string;
  serviceId: string;
  staffId: string | null;
  fromDate: string;
  toDate: string;
  earliestMinute: number;
  latestMinute: number;
  offered: string[];
}

export interface MatchResult {
  /** Quiet hours at the branch: nobody is offered anything now. */
  deferred: boolean;
  offers: string[];
  /** Offer messages to deliver. */
  messageIds: string[];
}

const waitingEntries = async (ctx: OperationContext, branchId: string, today: string) => {
  const { rows } = await ctx.sql.query<WaitingEntry>({
    name: "askproai_waiting_entries",
    text: `
      SELECT e.id, e.customer_id AS "customerId", e.service_id AS "serviceId", e.staff_id AS "staffId",
        e.from_date::text AS "fromDate", e.to_date::text AS "toDate", e.earliest_minute AS "earliestMinute", e.latest_minute AS "latestMinute",
        ARRAY(SELECT o.staff_id::text || '|' || (extract(epoch FROM o.starts_at) * 1000)::bigint::text FROM waitlist_offers o
              WHERE o.company_id = e.company_id AND o.entry_id = e.id) AS offered
      FROM waitlist_entries e
      WHERE e.company_id = $1::uuid AND e.branch_id = $2::uuid AND e.state = 'waiting' AND e.to_date >= $3::date
        AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.company_id = e.company_id AND o.entry_id = e.id AND o.state IN ('offered', 'confirming'))
      ORDER BY e.created_at, e.id
      LIMIT ${ENTRIES_PER_RUN}`,
    values: [ctx.companyId, branchId, today],
  });
  return rows;
};

const companyHoldMs = async (ctx: OperationContext) => {
  const company = await ctx.db.company.findFirst({ select: { waitlistHoldMinutes: true } });
  return (company?.waitlistHoldMinutes ?? 10) * 60_000;
};

export const matchWaitlist = async (ctx: OperationContext, branchId: string): Promise<MatchResult> => {
  const branch = await ctx.db.branch.findFirst({ where: { id: branchId, isActive: true }, select: { timezone: true } });
  if (!branch) return { deferred: false, offers: [], messageIds: [] };
  const now = ctx.now();
  // Quiet hours: nothing is held overnight for someone who cannot be asked; matching resumes at 08:00.
  if (isQuietTime(now, branch.timezone)) return { deferred: true, offers: [], messageIds: [] };
  const holdMs = await companyHoldMs(ctx);
  const today = localDateOf(now, branch.timezone);
  const result: MatchResult = { deferred: false, offers: [], messageIds: [] };

  for (const entry of await waitingEntries(ctx, branchId, today)) {
    const from = entry.fromDate > today ? entry.fromDate : today;
    const days = Math.min(MAX_WINDOW_DAYS, Math.round((Date.parse(`${entry.toDate}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1);
    // Free for the whole hold: a slot bookable now but not when the customer answers is not offered.
    const { slots, ctx: loaded } = await computeAvailability(
      ctx.sql,
      ctx.companyId,
      { branchId, serviceId: entry.serviceId, staffId: entry.staffId ?? undefined, from, days },
      now + holdMs,
    );
    const offered = new Set(entry.offered);
    const candidates = slots
      .filter((s) => {
        const minute = localMinuteOfDay(s.start, branch.timezone);
        return minute >= entry.earliestMinute && minute <= entry.latestMinute && localDateOf(s.start, branch.timezone) <= entry.toDate;
      })
      .filter((s) => !offered.has(`${s.staffId}|${s.start}`))
      .sort((a, b) => a.start - b.start || a.staffId.localeCompare(b.staffId))
      .slice(0, TRIES_PER_ENTRY);
    for (const s of candidates) {
      const slot: OfferSlot = {
        staffId: s.staffId, resourceId: s.resourceId ?? null, start: s.start, end: s.end,
        bufferBeforeMs: loaded.service.bufferBeforeMinutes * 60_000, bufferAfterMs: loaded.service.bufferAfterMinutes * 60_000,
      };
      const made = await offer(ctx, { entry, branchId, slot, expiresAt: now + holdMs, branchIds: loaded.staffBranches[s.staffId] ?? [] });
      if (made) {
        result.offers.push(made.offerId);
        result.messageIds.push(...made.messageIds);
        break;
      }
    }
  }
  return result;
};

/** One offer: hold, offer row and its SMS in one transaction; withdrawn again when a booking slipped in. */
const offer = async (ctx: OperationContext, args: { entry: WaitingEntry; branchId: string; slot: OfferSlot; expiresAt: number; branchIds: string[] }) => {
  let made: { offerId: string; messageIds: string[] } | null;
  try {
    made = await ctx.sql.transaction(async (tx) => {
      const offerId = await placeOfferHold(tx, ctx, {
        entryId: args.entry.id, customerId: args.entry.customerId, branchId: args.branchId, slot: args.slot, expiresAt: args.expiresAt,
        code: String(randomInt(1000, 10_000)), branchIds: args.branchIds,
      });
      if (!offerId) return null;
      return { offerId, messageIds: await planWaitlistMessage(tx, ctx, { offerId, kind: "waitlist_offer" }) };
    });
  } catch (error) {
    // Another matcher offered this slot, or this entry something, at the same moment.
    if (classifyDbError(error).kind === "unique") return null;
    throw error;
  }
  if (made && (await holdLost(ctx, made.offerId))) {
    await withdrawOffer(ctx, made.offerId, "withdrawn");
    return null;
  }
  if (made) ctx.log.info({ waitlistOfferId: made.offerId, waitlistEntryId: args.entry.id }, "waitlist slot offered");
  return made;
};

/** Ends an outstanding offer (`expired`, `declined`, `withdrawn`) and frees its slot; false when it was no longer outstanding. */
export const withdrawOffer = async (ctx: Pick<OperationContext, "companyId" | "sql">, offerId: string, to: "expired" | "declined" | "withdrawn", onlyIf?: { expiredBy: number }) =>
  ctx.sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ customerId: string; staffId: string; startsAt: Date; branchId: string }>({
      name: "askproai_withdraw_offer",
      text: `UPDATE waitlist_offers o SET state = $3::waitlist_offer_state, responded_at = CASE WHEN $3 = 'declined' THEN now() ELSE responded_at END, updated_at = now()
             FROM waitlist_entries e
             WHERE o.id = $1::uuid AND o.company_id = $2::uuid AND e.id = o.entry_id AND e.company_id = o.company_id
               AND o.state = 'offered' AND ($4::timestamptz IS NULL OR o.expires_at <= $4::timestamptz)
             RETURNING e.customer_id AS "customerId", o.staff_id AS "staffId", o.starts_at AS "startsAt", o.branch_id AS "branchId"`,
      values: [offerId, ctx.companyId, to, onlyIf ? new Date(onlyIf.expiredBy) : null],
    });
    const row = rows[0];
    if (!row) return false;
    await releaseOfferHold(tx, ctx.companyId, row);
    return true;
  });
