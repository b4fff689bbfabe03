/**
 * Webhook intake (system-level: the sender does not know our tenants, so the unscoped pool): one
 * statement stores a verified event unless its (source, event id) is already there, and tells which
 * of the three cases this delivery is: new, a repeat of an event still waiting to be processed, or a
 * repeat of one already processed.
 */
import { DomainError, type WebhookSource } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";

export interface IncomingWebhook {
  source: WebhookSource;
  eventId: string;
  eventType: string;
  /** The raw JSON body as received (verified and parsed once before; PostgreSQL stores it as jsonb). */
  payload: string;
  correlationId: string;
}

export interface StoredDelivery {
  id: string;
  /** `new`: stored now; `pending`: stored before, not processed yet; `processed`: nothing more to do. */
  state: "new" | "pending" | "processed";
  correlationId: string;
}

// Text PostgreSQL refuses inside jsonb (\u0000, a lone surrogate): the sender's body, not our failure.
const UNSTORABLE = new Set(["22P05", "22P02", "22021", "22025"]);

export const storeWebhookEvent = async (db: Db, event: IncomingWebhook): Promise<StoredDelivery> => {
  const pool = poolOf(db);
  try {
    const { rows } = await pool.query<{ id: string; fresh: boolean; processed: boolean; correlationId: string }>({
      name: "askproai_webhook_intake",
      text: `WITH ins AS (
               INSERT INTO webhook_events (id, source, event_id, event_type, payload, correlation_id)
               VALUES (gen_random_uuid(), $1::webhook_source, $2, $3, $4::jsonb, $5)
               ON CONFLICT (source, event_id) DO NOTHING
               RETURNING id, correlation_id
             )
             SELECT id, true AS fresh, false AS processed, correlation_id AS "correlationId" FROM ins
             UNION ALL
             SELECT id, false, processed_at IS NOT NULL, correlation_id FROM webhook_events
             WHERE source = $1::webhook_source AND event_id = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
      values: [event.source, event.eventId, event.eventType, event.payload, event.correlationId],
    });
    const row = rows[0] ?? (await existing(db, event));
    return { id: row.id, state: row.fresh ? "new" : row.processed ? "processed" : "pending", correlationId: row.correlationId };
  } catch (error) {
    if (UNSTORABLE.has(String((error as { code?: unknown }).code))) {
      throw new DomainError("BAD_REQUEST", "body contains text that cannot be stored (a NUL character or a lone surrogate)", { fields: ["body"] });
    }
    throw error;
  }
};

/**
 * A concurrent first delivery committed while ours waited on the unique key: ON CONFLICT skipped the
 * insert, but the statement's snapshot predates that row. Read it again.
 */
const existing = async (db: Db, event: IncomingWebhook) => {
  const { rows } = await poolOf(db).query<{ id: string; processed: boolean; correlationId: string }>({
    name: "askproai_webhook_existing",
    text: `SELECT id, processed_at IS NOT NULL AS processed, correlation_id AS "correlationId" FROM webhook_events WHERE source = $1::webhook_source AND event_id = $2`,
    values: [event.source, event.eventId],
  });
  const row = rows[0];
  if (!row) throw new Error("webhook intake: the event is neither new nor stored");
  return { ...row, fresh: false };
};
