/**
 * Processing one stored webhook event exactly once: the row is claimed (`FOR UPDATE SKIP LOCKED`), its
 * effect applied and `processed_at` set in ONE transaction, so two workers, a retried job or a job
 * re-queued by the sweep can never apply it twice (the second finds it processed, or locked and
 * skips). A failure rolls the effect back and is kept on the row (`retry_count`, `last_error`); the
 * queue retries with backoff. What can never succeed (an unknown Stripe customer, a number no company
 * has) is a `PermanentWebhookFailure`: recorded as processed with its error, never retried.
 */
import type { WebhookSource } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";
import { inTransaction, type Queryable } from "../sql.js";
import type { StripeApi } from "../billing/stripe-api.js";
import { processCalcomEvent } from "./calcom.js";
import { processRetellEvent } from "./retell.js";
import { processStripeEvent } from "./stripe.js";

export interface StoredWebhookEvent {
  id: string;
  source: WebhookSource;
  eventId: string;
  eventType: string;
  payload: unknown;
  correlationId: string;
  receivedAt: Date;
}

export interface WebhookDeps {
  /** The unscoped client: webhook processing finds the company first (system-level). */
  db: Db;
  /** Stripe's API for re-fetching subscriptions; null when no STRIPE_API_KEY is configured (events then order by `created`). */
  stripe: StripeApi | null;
}

/** What a processor gets: the deps and the claiming transaction, in which every effect is written. */
export interface WebhookWork extends WebhookDeps {
  tx: Queryable;
}

export interface WebhookEffect {
  companyId: string | null;
  /** A short note on what was done (or why nothing was), kept in the job's result; never personal data. */
  detail?: string;
}

/** An event that can never be processed: recorded as processed with this message, not retried. */
export class PermanentWebhookFailure extends Error {
  override readonly name = "PermanentWebhookFailure";
  constructor(
    message: string,
    readonly companyId: string | null = null,
  ) {
    super(message);
  }
}

export type ProcessOutcome =
  | { outcome: "processed"; source: WebhookSource; companyId: string | null; detail?: string }
  | { outcome: "unrecoverable"; source: WebhookSource; companyId: string | null; detail: string }
  | { outcome: "already_processed" | "busy" | "missing" };

const PROCESSORS: Record<WebhookSource, (work: WebhookWork, event: StoredWebhookEvent) => Promise<WebhookEffect>> = {
  retell: processRetellEvent,
  calcom: processCalcomEvent,
  stripe: processStripeEvent,
};

const MAX_ERROR_CHARS = 500;

export const processWebhookEvent = async (deps: WebhookDeps, webhookEventId: string): Promise<ProcessOutcome> => {
  const pool = poolOf(deps.db);
  try {
    return await inTransaction(pool, async (tx): Promise<ProcessOutcome> => {
      const { rows } = await tx.query<StoredWebhookEvent & { processedAt: Date | null }>({
        name: "askproai_webhook_claim",
        text: `SELECT id, source::text AS source, event_id AS "eventId", event_type AS "eventType", payload, correlation_id AS "correlationId",
                      received_at AS "receivedAt", processed_at AS "processedAt"
               FROM webhook_events WHERE id = $1::uuid FOR UPDATE SKIP LOCKED`,
        values: [webhookEventId],
      });
      const row = rows[0];
      if (!row) {
        const { rows: seen } = await tx.query<{ processed: boolean }>("SELECT processed_at IS NOT NULL AS processed FROM webhook_events WHERE id = $1::uuid", [webhookEventId]);
        return { outcome: seen[0] ? (seen[0].processed ? "already_processed" : "busy") : "missing" };
      }
      if (row.processedAt) return { outcome: "already_processed" };
      await tx.query("SAVEPOINT webhook_effect");
      let result: ProcessOutcome;
      try {
        const effect = await PROCESSORS[row.source]({ ...deps, tx }, row);
        result = { outcome: "processed", source: row.source, companyId: effect.companyId, ...(effect.detail ? { detail: effect.detail } : {}) };
      } catch (error) {
        if (!(error instanceof PermanentWebhookFailure)) throw error;
        // Nothing of a refused event's effect stays; the row says why.
        await tx.query("ROLLBACK TO SAVEPOINT webhook_effect");
        result = { outcome: "unrecoverable", source: row.source, companyId: error.companyId, detail: error.message.slice(0, MAX_ERROR_CHARS) };
      }
      await tx.query({
        name: "askproai_webhook_processed",
        text: "UPDATE webhook_events SET processed_at = now(), company_id = COALESCE($2::uuid, company_id), last_error = $3 WHERE id = $1::uuid",
        values: [row.id, "companyId" in result ? result.companyId : null, result.outcome === "unrecoverable" ? result.detail : null],
      });
      return result;
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
    const { rows } = await pool
      .query<{ source: WebhookSource }>(
        "UPDATE webhook_events SET retry_count = retry_count + 1, last_error = $2 WHERE id = $1::uuid AND processed_at IS NULL RETURNING source::text AS source",
        [webhookEventId, message],
      )
      .catch(() => ({ rows: [] as { source: WebhookSource }[] }));
    throw new WebhookAttemptFailed(message, rows[0]?.source ?? null, error);
  }
};

/** A processing attempt that failed and may succeed later (kept on the row; the queue retries it). */
export class WebhookAttemptFailed extends Error {
  override readonly name = "WebhookAttemptFailed";
  constructor(
    message: string,
    /** The event's source, for metrics; null when even recording the failure failed. */
    readonly source: WebhookSource | null,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}
