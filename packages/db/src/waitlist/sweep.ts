/**
 * The waitlist's heartbeat (the worker runs it every 15 seconds; tests call it with any clock):
 * 1. offers whose hold ran out expire, freeing the slot (their customers stay on the list);
 * 2. confirmations interrupted by a crash are finished (booked, or the customer told it is gone);
 * 3. entries whose window is over expire;
 * 4. every branch with waiting customers whose availability changed since it was last matched (a
 *    cancellation, a move, a schedule change, an ended hold: each raises the branch's availability
 *    version) is matched again. Quiet hours leave the branch unmatched until 08:00.
 * System-wide maintenance, hence the unscoped client; each company's work runs in its own context.
 */
import { poolOf } from "../client.js";
import { contextFor, type DomainDeps, type OperationLog } from "../context.js";
import { finishConfirmation } from "./respond.js";
import { matchWaitlist, withdrawOffer } from "./match.js";

/** A `confirming` offer untouched this long belongs to a request or worker that died mid-confirmation. */
const STALE_CONFIRMATION_MS = 2 * 60_000;

export interface WaitlistSweepResult {
  expiredOffers: number;
  expiredEntries: number;
  matchedBranches: number;
  offers: number;
  /** Offer and "gone" messages to deliver. */
  messages: { companyId: string; messageId: string }[];
}

export const sweepWaitlist = async (deps: DomainDeps, now: number, log?: OperationLog): Promise<WaitlistSweepResult> => {
  const pool = poolOf(deps.db);
  const at = new Date(now);
  const result: WaitlistSweepResult = { expiredOffers: 0, expiredEntries: 0, matchedBranches: 0, offers: 0, messages: [] };
  const ctxOf = (companyId: string, correlationId: string) =>
    contextFor(deps, { companyId, correlationId, actor: { type: "system" }, source: "waitlist", log, now: () => now });

  const { rows: expired } = await pool.query<{ id: string; companyId: string; correlationId: string }>({
    name: "askproai_expired_offers",
    text: `SELECT id, company_id AS "companyId", correlation_id AS "correlationId" FROM waitlist_offers
           WHERE state = 'offered' AND expires_at <= $1::timestamptz ORDER BY expires_at LIMIT 500`,
    values: [at],
  });
  for (const offer of expired) {
    if (await withdrawOffer(ctxOf(offer.companyId, offer.correlationId), offer.id, "expired", { expiredBy: now })) result.expiredOffers++;
  }

  const { rows: stale } = await pool.query<{ id: string; companyId: string; correlationId: string }>({
    name: "askproai_stale_confirmations",
    text: `SELECT id, company_id AS "companyId", correlation_id AS "correlationId" FROM waitlist_offers
           WHERE state = 'confirming' AND updated_at < now() - make_interval(secs => $1::double precision / 1000) LIMIT 100`,
    values: [STALE_CONFIRMATION_MS],
  });
  for (const offer of stale) {
    const finished = await finishConfirmation(ctxOf(offer.companyId, offer.correlationId), offer.id).catch((error: unknown) => {
      log?.warn({ err: error, waitlistOfferId: offer.id }, "could not finish an interrupted waitlist confirmation");
      return null;
    });
    for (const messageId of finished?.messageIds ?? []) result.messages.push({ companyId: offer.companyId, messageId });
  }

  const { rowCount } = await pool.query({
    name: "askproai_expire_entries",
    text: `UPDATE waitlist_entries e SET state = 'expired', updated_at = now() FROM branches b
           WHERE b.id = e.branch_id AND b.company_id = e.company_id AND e.state = 'waiting'
             AND e.to_date < ($1::timestamptz AT TIME ZONE b.timezone)::date`,
    values: [at],
  });
  result.expiredEntries = rowCount ?? 0;

  const { rows: branches } = await pool.query<{ id: string; companyId: string; version: string }>({
    name: "askproai_branches_to_match",
    text: `SELECT b.id, b.company_id AS "companyId", b.availability_version::text AS version FROM branches b
           WHERE b.is_active AND EXISTS (SELECT 1 FROM waitlist_entries e WHERE e.company_id = b.company_id AND e.branch_id = b.id AND e.state = 'waiting')
             AND NOT EXISTS (SELECT 1 FROM waitlist_matches m WHERE m.branch_id = b.id AND m.matched_version = b.availability_version)`,
  });
  for (const branch of branches) {
    // The version was read before matching: a change committed meanwhile makes the next sweep match again.
    const ctx = ctxOf(branch.companyId, `waitlist:${branch.id}:${branch.version}`);
    const matched = await matchWaitlist(ctx, branch.id);
    if (matched.deferred) continue;
    result.matchedBranches++;
    result.offers += matched.offers.length;
    for (const messageId of matched.messageIds) result.messages.push({ companyId: branch.companyId, messageId });
    await pool.query({
      name: "askproai_record_match",
      text: `INSERT INTO waitlist_matches (branch_id, company_id, matched_version, matched_at) VALUES ($1::uuid, $2::uuid, $3::bigint, $4::timestamptz)
             ON CONFLICT (branch_id) DO UPDATE SET matched_version = EXCLUDED.matched_version, matched_at = EXCLUDED.matched_at`,
      values: [branch.id, branch.companyId, branch.version, at],
    });
  }
  return result;
};
