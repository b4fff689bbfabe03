import { poolOf, type Db } from "../client.js";
import { metrics } from "./metrics.js";

/** Reads the outbox lag and backlog into their gauges (called on every scrape). */
export const refreshOutboxGauges = async (db: Db) => {
  const { rows } = await poolOf(db).query<{ pending: string; oldest: Date | null }>(
    "SELECT count(*)::text AS pending, min(created_at) AS oldest FROM outbox_events WHERE dispatched_at IS NULL",
  );
  const row = rows[0];
  metrics.outboxPending.set(Number(row?.pending ?? 0));
  metrics.outboxLag.set(row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0);
};
