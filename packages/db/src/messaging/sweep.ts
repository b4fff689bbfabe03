/**
 * The safety net behind the jobs: messages that are due but whose job was lost (enqueueing after a
 * commit failed, Redis was flushed), whose quiet hours are over, or whose worker died mid-send. The
 * worker enqueues a delivery for each (the job id dedupes the ones still queued). System-wide.
 */
import { poolOf, type Db } from "../client.js";

export interface DueMessage {
  companyId: string;
  messageId: string;
  correlationId: string;
}

export const dueMessages = async (db: Db, now: number, options: { idleMs: number; limit?: number }): Promise<DueMessage[]> => {
  const { rows } = await poolOf(db).query<DueMessage>({
    name: "askproai_due_messages",
    text: `
      SELECT company_id AS "companyId", id AS "messageId", correlation_id AS "correlationId" FROM messages
      WHERE state IN ('pending', 'sending') AND send_after <= $1::timestamptz AND updated_at <= $1::timestamptz - make_interval(secs => $2::double precision / 1000)
      ORDER BY send_after
      LIMIT $3`,
    values: [new Date(now), options.idleMs, options.limit ?? 500],
  });
  return rows;
};
