/**
 * Retell `call_started` / `call_ended` / `call_analyzed` → one `call_records` row per call. The company
 * and branch come from the number called (a web call without numbers: the agent's company). Events may
 * arrive in any order, so the row is always rebuilt from every stored event of the call, each field
 * taken from the furthest event that has it (analyzed > ended > started), under a per-call advisory lock:
 * whichever event is processed last writes the same final row. The SQL never downgrades the status nor
 * nulls a known field either. Appointments the agent booked during the call are linked; when the call
 * has ended its voice holds are released.
 */
import { isDomainError } from "@askproai/shared";
import { z } from "zod";
import { releaseCallHolds } from "../voice/holds.js";
import { resolveInboundNumber } from "../voice/routing.js";
import { PermanentWebhookFailure, type StoredWebhookEvent, type WebhookEffect, type WebhookWork } from "./process.js";

/** Retell's events in the order a call goes through them. */
export const CALL_EVENTS = ["call_started", "call_ended", "call_analyzed"] as const;
const STATUS_OF: Record<(typeof CALL_EVENTS)[number], string> = { call_started: "started", call_ended: "ended", call_analyzed: "analyzed" };

const str = (max: number) => z.string().max(max).nullish().catch(null);
const num = z.number().finite().nullish().catch(null);
const retellCall = z.object({
  call_id: z.string().min(1).max(200),
  agent_id: str(200),
  from_number: str(64),
  to_number: str(64),
  direction: str(32),
  start_timestamp: num,
  end_timestamp: num,
  duration_ms: num,
  disconnection_reason: str(200),
  transcript: str(1_000_000),
  call_analysis: z.object({ call_summary: str(100_000), user_sentiment: str(64) }).nullish().catch(null),
});
type RetellCall = z.infer<typeof retellCall>;

export interface MergedCall {
  status: string;
  agentId: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  direction: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  disconnectReason: string | null;
  transcript: string | null;
  summary: string | null;
  sentiment: string | null;
}

const instant = (ms: number | null | undefined) => (ms === null || ms === undefined || ms <= 0 || ms > 8.64e15 ? null : new Date(ms));

/** The call as its furthest events tell it: `events` in any order, each with its Retell event name. */
export const mergeCallEvents = (events: { event: string; call: RetellCall }[]): MergedCall => {
  const ranked = events
    .filter((e): e is { event: (typeof CALL_EVENTS)[number]; call: RetellCall } => (CALL_EVENTS as readonly string[]).includes(e.event))
    .sort((a, b) => CALL_EVENTS.indexOf(b.event) - CALL_EVENTS.indexOf(a.event));
  const pick = <T>(get: (c: RetellCall) => T | null | undefined): T | null => {
    for (const e of ranked) {
      const value = get(e.call);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  };
  const startedAt = instant(pick((c) => c.start_timestamp));
  const endedAt = instant(pick((c) => c.end_timestamp));
  const durationMs = pick((c) => c.duration_ms) ?? (startedAt && endedAt ? endedAt.getTime() - startedAt.getTime() : null);
  return {
    status: ranked[0] ? STATUS_OF[ranked[0].event] : "started",
    agentId: pick((c) => c.agent_id),
    fromNumber: pick((c) => c.from_number),
    toNumber: pick((c) => c.to_number),
    direction: pick((c) => c.direction),
    startedAt,
    endedAt,
    durationSeconds: durationMs === null || durationMs < 0 ? null : Math.min(Math.round(durationMs / 1000), 2_000_000_000),
    disconnectReason: pick((c) => c.disconnection_reason),
    transcript: pick((c) => c.transcript),
    summary: pick((c) => c.call_analysis?.call_summary),
    sentiment: pick((c) => c.call_analysis?.user_sentiment),
  };
};

/** The company (and branch, when a branch's own number was called) of a call. */
const companyOfCall = async (work: WebhookWork, call: MergedCall): Promise<{ companyId: string; branchId: string | null } | null> => {
  if (call.toNumber) {
    try {
      const target = await resolveInboundNumber(work.db, call.toNumber);
      return { companyId: target.companyId, branchId: target.kind === "branch" ? target.branchId : null };
    } catch (error) {
      if (!isDomainError(error) || error.code !== "NOT_FOUND") throw error;
    }
  }
  if (!call.agentId) return null;
  const { rows } = await work.tx.query<{ id: string }>("SELECT id FROM companies WHERE retell_agent_id = $1", [call.agentId]);
  return rows[0] ? { companyId: rows[0].id, branchId: null } : null;
};

const RANK_SQL = (status: string) => `(CASE ${status} WHEN 'analyzed' THEN 3 WHEN 'ended' THEN 2 ELSE 1 END)`;

export const processRetellEvent = async (work: WebhookWork, event: StoredWebhookEvent): Promise<WebhookEffect> => {
  if (!(CALL_EVENTS as readonly string[]).includes(event.eventType)) return { companyId: null, detail: `${event.eventType}: not recorded` };
  const own = retellCall.safeParse((event.payload as { call?: unknown } | null)?.call);
  if (!own.success) throw new PermanentWebhookFailure("call: not a Retell call object");
  const callId = own.data.call_id;
  const { tx } = work;
  // One call's events are merged one at a time: the last to take the lock sees every stored event.
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('retell-call:' || $1, 0))", [callId]);
  const { rows } = await tx.query<{ eventType: string; call: unknown }>({
    name: "askproai_retell_call_events",
    text: `SELECT event_type AS "eventType", payload->'call' AS call FROM webhook_events WHERE source = 'retell' AND event_id = ANY($1::text[])`,
    values: [CALL_EVENTS.map((e) => `${callId}:${e}`)],
  });
  const merged = mergeCallEvents(
    rows.flatMap((r) => {
      const parsed = retellCall.safeParse(r.call);
      return parsed.success && parsed.data.call_id === callId ? [{ event: r.eventType, call: parsed.data }] : [];
    }),
  );
  const owner = await companyOfCall(work, merged);
  if (!owner) throw new PermanentWebhookFailure("no company has the number called or the agent");

  const { rows: records } = await tx.query<{ id: string; companyId: string }>({
    name: "askproai_call_record_upsert",
    text: `INSERT INTO call_records AS r (id, company_id, branch_id, retell_call_id, agent_id, from_number, to_number, direction, status, started_at, ended_at,
                                          duration_seconds, disconnect_reason, transcript, summary, sentiment, correlation_id, created_at, updated_at)
           VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5, COALESCE($6, ''), COALESCE($7, 'inbound'), $8, $9, $10, $11, $12, $13, $14, $15, $16, now(), now())
           ON CONFLICT (retell_call_id) DO UPDATE SET
             status = CASE WHEN ${RANK_SQL("EXCLUDED.status")} >= ${RANK_SQL("r.status")} THEN EXCLUDED.status ELSE r.status END,
             branch_id = COALESCE(EXCLUDED.branch_id, r.branch_id),
             agent_id = COALESCE(EXCLUDED.agent_id, r.agent_id),
             from_number = COALESCE(EXCLUDED.from_number, r.from_number),
             to_number = COALESCE(NULLIF(EXCLUDED.to_number, ''), r.to_number),
             started_at = COALESCE(EXCLUDED.started_at, r.started_at),
             ended_at = COALESCE(EXCLUDED.ended_at, r.ended_at),
             duration_seconds = COALESCE(EXCLUDED.duration_seconds, r.duration_seconds),
             disconnect_reason = COALESCE(EXCLUDED.disconnect_reason, r.disconnect_reason),
             transcript = COALESCE(EXCLUDED.transcript, r.transcript),
             summary = COALESCE(EXCLUDED.summary, r.summary),
             sentiment = COALESCE(EXCLUDED.sentiment, r.sentiment),
             updated_at = now()
           WHERE r.company_id = EXCLUDED.company_id
           RETURNING id, company_id AS "companyId"`,
    values: [
      owner.companyId, owner.branchId, callId, merged.agentId, merged.fromNumber, merged.toNumber, merged.direction, merged.status, merged.startedAt, merged.endedAt,
      merged.durationSeconds, merged.disconnectReason, merged.transcript, merged.summary, merged.sentiment, event.correlationId,
    ],
  });
  const record = records[0];
  if (!record) throw new PermanentWebhookFailure("the call id belongs to a call of another company", owner.companyId);

  // Appointments booked during the call point at its record (a data-modifying WITH always runs); a
  // hotline call gets the branch it booked at.
  await tx.query({
    name: "askproai_call_record_link",
    text: `WITH linked AS (
             UPDATE appointments SET call_record_id = $1::uuid
             WHERE company_id = $2::uuid AND retell_call_id = $3 AND call_record_id IS DISTINCT FROM $1::uuid
           )
           UPDATE call_records SET branch_id = COALESCE(branch_id, (SELECT branch_id FROM appointments WHERE company_id = $2::uuid AND retell_call_id = $3 ORDER BY created_at LIMIT 1))
           WHERE id = $1::uuid AND company_id = $2::uuid AND branch_id IS NULL`,
    values: [record.id, owner.companyId, callId],
  });
  if (merged.status !== "started") {
    await releaseCallHolds({ companyId: owner.companyId, sql: { companyId: owner.companyId, query: tx.query.bind(tx), transaction: (fn) => fn(tx) } }, callId);
  }
  return { companyId: owner.companyId, detail: `call record ${merged.status}` };
};
