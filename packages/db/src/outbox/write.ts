/**
 * The one writer of outbox and audit rows. Every change of an appointment announces itself in the
 * SAME statement (or transaction) that makes it, so the change, its outbox events (for the relay:
 * calendar sync, customer messages, live updates) and its audit row commit together or not at all.
 * Outbox payloads carry ids only: the processors read the rest, so no personal data sits in Redis.
 */
import type { AuditAction } from "../generated/prisma/enums.js";
import type { OperationContext } from "../context.js";
import { params, type Queryable } from "../sql.js";

export const OUTBOX_TOPICS = {
  calendarSync: "calendar.sync",
  notification: "notification.send",
} as const;

export interface OutboxEventDraft {
  topic: string;
  payload: Record<string, unknown>;
}

type Announcer = Pick<OperationContext, "companyId" | "correlationId" | "actor">;

/** What live subscribers (events.onChange) hear of an audit action; failed attempts are not announced. */
const CHANGE_TYPES: Partial<Record<AuditAction, string>> = {
  created: "appointment.created",
  rescheduled: "appointment.updated",
  no_show: "appointment.updated",
  completed: "appointment.updated",
  synced: "appointment.updated",
  cancelled: "appointment.cancelled",
};

/** The events an appointment change announces: calendar sync (when the company syncs) and a message. */
export const appointmentEvents = (calendarSync: boolean, action: "create" | "cancel" | "reschedule", notification: string): OutboxEventDraft[] => [
  ...(calendarSync ? [{ topic: OUTBOX_TOPICS.calendarSync, payload: { action } }] : []),
  { topic: OUTBOX_TOPICS.notification, payload: { kind: notification } },
];

/**
 * The `outbox`, `audit` and `change` CTEs a changing statement ends with (the last one numbered for live
 * subscribers after commit: ../live/changes.ts). `row` names the CTE (or table
 * expression) holding the changed appointment(s) with `id` and `version` columns; `changes` is a SQL
 * expression over `row` describing the change for the audit row. Outbox payloads carry the version the
 * change produced, so a customer message is sent at most once per appointment version and kind.
 */
export const outboxAndAuditCtes = (
  p: ReturnType<typeof params>["p"],
  ctx: Announcer,
  args: { row: string; events: OutboxEventDraft[]; action: AuditAction; changes: string },
) => {
  const co = p(ctx.companyId, "uuid");
  const corr = p(ctx.correlationId);
  return `
    outbox AS (
      INSERT INTO outbox_events (id, company_id, topic, aggregate_id, payload, correlation_id, created_at, available_at, attempts)
      SELECT gen_random_uuid(), ${co}, e.topic, ${args.row}.id::text,
        jsonb_build_object('appointmentId', ${args.row}.id, 'version', ${args.row}.version) || e.payload,
        ${corr}, now(), now(), 0
      FROM ${args.row}, jsonb_to_recordset(${p(JSON.stringify(args.events), "jsonb")}) AS e(topic text, payload jsonb)
    ), audit AS (
      INSERT INTO appointment_audit (id, company_id, appointment_id, action, actor_type, actor_id, correlation_id, changes, created_at)
      SELECT gen_random_uuid(), ${co}, ${args.row}.id, ${p(args.action, "audit_action")}, ${p(ctx.actor.type, "actor_type")},
        ${p(ctx.actor.id ?? null)}, ${corr}, ${args.changes}, now()
      FROM ${args.row}
    ), change AS (
      INSERT INTO change_events (id, company_id, type, appointment_id, correlation_id, created_at)
      SELECT gen_random_uuid(), ${co}, t.type, ${args.row}.id, ${corr}, now()
      FROM ${args.row}, (SELECT ${p(CHANGE_TYPES[args.action] ?? null)}::text AS type) t
      WHERE t.type IS NOT NULL
    )`;
};

/** The same rows for a change already made inside the transaction `tx` (cancel, finish, failures). */
export const writeOutboxAndAudit = async (
  tx: Queryable,
  ctx: Announcer,
  args: { appointmentId: string; events: OutboxEventDraft[]; action: AuditAction; changes: Record<string, unknown> },
) => {
  const { values, p } = params();
  const row = p(args.appointmentId, "uuid");
  const changes = p(JSON.stringify(args.changes), "jsonb");
  const text = `WITH changed AS (SELECT id, version FROM appointments WHERE id = ${row} AND company_id = ${p(ctx.companyId, "uuid")}),${outboxAndAuditCtes(p, ctx, { row: "changed", events: args.events, action: args.action, changes })}
    SELECT 1`;
  await tx.query({ text, values });
};
