/**
 * Retries are harmless: Retell retries a function up to twice and calls again after a timeout, so the
 * same (call id, function, arguments) can arrive three times at once and again later. The first
 * request claims a row keyed by a hash of the three and stores its answer; every repeat, concurrent
 * or later, waits for that answer and gives it unchanged. A request that fails before answering
 * removes its claim, so a repeat runs afresh; a claim whose request died is taken over after a while.
 * Once the call has changed something (booked, moved, cancelled), the answers stored for its other
 * requests are forgotten: asking again then shows the appointment as it now is.
 */
import { createHash } from "node:crypto";
import type { VoiceAnswer } from "@askproai/shared";
import type { Db } from "../client.js";
import type { OperationContext } from "../context.js";

/** A claim older than this without an answer belongs to a request that died. */
const CLAIM_STALE_MS = 20_000;
const POLL_MS = 20;
/** How long a repeat waits for its original before it gives up (the agent then asks the caller to try again). */
const WAIT_LIMIT_MS = 30_000;

type Ctx = Pick<OperationContext, "companyId" | "sql" | "correlationId">;

/** Arguments in one canonical form: keys sorted, strings trimmed and lower-cased, blanks dropped. */
const canonical = (value: unknown): unknown => {
  if (typeof value === "string") return value.trim().toLowerCase();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])] as const)
        .filter(([, v]) => v !== null && v !== undefined && v !== ""),
    );
  }
  return value;
};

export const requestKeyOf = (retellCallId: string, name: string, args: Record<string, unknown>) =>
  createHash("sha256").update(JSON.stringify([retellCallId, name, canonical(args)])).digest("hex");

export class RepeatTimedOut extends Error {
  override readonly name = "RepeatTimedOut";
}

export const answerOnce = async (
  ctx: Ctx,
  request: { retellCallId: string; name: string; args: Record<string, unknown> },
  run: () => Promise<VoiceAnswer>,
): Promise<VoiceAnswer> => {
  const key = requestKeyOf(request.retellCallId, request.name, request.args);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const { rows } = await ctx.sql.query<{ id: string | null; answer: VoiceAnswer | null; claimedAt: Date | null }>({
      name: "askproai_voice_claim",
      text: `WITH claim AS (
               INSERT INTO voice_function_calls (id, company_id, retell_call_id, name, request_key, claimed_at, correlation_id)
               VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, now(), $5)
               ON CONFLICT (company_id, request_key) DO UPDATE SET claimed_at = now(), correlation_id = EXCLUDED.correlation_id
                 WHERE voice_function_calls.answer IS NULL AND voice_function_calls.claimed_at < now() - $6::int * interval '1 millisecond'
               RETURNING id
             )
             SELECT (SELECT id FROM claim) AS id, v.answer, v.claimed_at AS "claimedAt"
             FROM (SELECT 1) one LEFT JOIN voice_function_calls v ON v.company_id = $1::uuid AND v.request_key = $4`,
      values: [ctx.companyId, request.retellCallId, request.name, key, ctx.correlationId, CLAIM_STALE_MS],
    });
    const row = rows[0];
    if (row?.id) return runClaimed(ctx, row.id, run);
    if (row?.answer) return row.answer;
    if (Date.now() > deadline) throw new RepeatTimedOut("the original request of this repeat did not answer in time");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

export const forgetOtherAnswers = async (ctx: Ctx, retellCallId: string, keep: { name: string; args: Record<string, unknown> }) => {
  await ctx.sql.query({
    name: "askproai_voice_forget",
    text: "DELETE FROM voice_function_calls WHERE company_id = $1::uuid AND retell_call_id = $2 AND request_key <> $3 AND answer IS NOT NULL",
    values: [ctx.companyId, retellCallId, requestKeyOf(retellCallId, keep.name, keep.args)],
  });
};

const runClaimed = async (ctx: Ctx, id: string, run: () => Promise<VoiceAnswer>) => {
  let answer: VoiceAnswer;
  try {
    answer = await run();
  } catch (error) {
    await ctx.sql
      .query({ name: "askproai_voice_unclaim", text: "DELETE FROM voice_function_calls WHERE id = $1::uuid AND company_id = $2::uuid AND answer IS NULL", values: [id, ctx.companyId] })
      .catch(() => undefined);
    throw error;
  }
  await ctx.sql.query({
    name: "askproai_voice_answer",
    text: "UPDATE voice_function_calls SET answer = $3::jsonb, answered_at = now() WHERE id = $1::uuid AND company_id = $2::uuid",
    values: [id, ctx.companyId, JSON.stringify(answer)],
  });
  return answer;
};

/** Answers are kept this long: far beyond any retry, and long enough to show on the call's record. */
export const VOICE_ANSWER_RETENTION_MS = 2 * 86_400_000;

/** Forgets old answers (worker maintenance, system-wide, hence the unscoped client). */
export const purgeVoiceAnswers = async (db: Db, now = Date.now()) => {
  const { count } = await db.voiceFunctionCall.deleteMany({ where: { claimedAt: { lt: new Date(now - VOICE_ANSWER_RETENTION_MS) } } });
  return count;
};
