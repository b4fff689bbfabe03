/**
 * Planning a message = inserting its `messages` rows (one per channel the customer can be reached on)
 * under their unique keys. Planning twice is harmless: the second insert finds the key taken. The
 * answer is every message of that key still to be delivered, so a retried job enqueues them again.
 */
import { notFound } from "@askproai/shared";
import type { MessageKind } from "../generated/prisma/enums.js";
import type { OperationContext } from "../context.js";
import { params, type Queryable } from "../sql.js";

export const NOTICE_KINDS = ["confirmation", "rescheduled", "cancellation"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const isNoticeKind = (kind: unknown): kind is NoticeKind => (NOTICE_KINDS as readonly unknown[]).includes(kind);

type Planner = Pick<OperationContext, "companyId" | "correlationId" | "now">;

/** SMS always (the phone number is required), e-mail when the customer gave an address. */
const channelsSql = (customer: string) => `
  LATERAL (SELECT 'sms'::message_channel AS channel
   UNION ALL
   SELECT 'email'::message_channel FROM customers c WHERE c.id = ${customer} AND c.email IS NOT NULL AND c.email <> '')`;

/**
 * The notice of an appointment change (outbox `notification.send`): confirmation, change notice or
 * cancellation, keyed by the version the change produced (`version`; the current one when absent).
 */
export const planAppointmentNotice = async (
  ctx: Planner & Pick<OperationContext, "sql">,
  input: { appointmentId: string; kind: NoticeKind; version?: number },
): Promise<string[]> => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const appt = p(input.appointmentId, "uuid");
  const kind = p(input.kind, "message_kind");
  const text = `
    WITH a AS (
      SELECT a.id, a.customer_id, COALESCE(${p(input.version ?? null, "int")}, a.version) AS version
      FROM appointments a WHERE a.id = ${appt} AND a.company_id = ${co} AND a.status <> 'failed'
    ), ins AS (
      INSERT INTO messages (id, company_id, customer_id, appointment_id, appointment_version, kind, channel, language, state,
        send_after, correlation_id, created_at, updated_at)
      SELECT gen_random_uuid(), ${co}, a.customer_id, a.id, a.version, ${kind}, ch.channel, COALESCE(cu.language, co.message_language),
        'pending', ${p(new Date(ctx.now()), "timestamptz")}, ${p(ctx.correlationId)}, now(), now()
      FROM a JOIN customers cu ON cu.id = a.customer_id AND cu.company_id = ${co} JOIN companies co ON co.id = ${co},
        ${channelsSql("a.customer_id")} ch
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT (SELECT count(*) FROM a)::int AS found,
      ARRAY(SELECT id FROM ins UNION
            SELECT m.id FROM messages m, a WHERE m.company_id = ${co} AND m.appointment_id = a.id AND m.appointment_version = a.version
              AND m.kind = ${kind} AND m.state IN ('pending', 'sending')) AS ids`;
  const { rows } = await ctx.sql.query<{ found: number; ids: string[] }>({ text, values });
  if (!rows[0]?.found) throw notFound("appointment");
  return rows[0].ids;
};

/** A waitlist offer or "it is gone" notice, by SMS, inside the caller's transaction. */
export const planWaitlistMessage = async (
  tx: Queryable,
  ctx: Planner,
  input: { offerId: string; kind: Extract<MessageKind, "waitlist_offer" | "waitlist_gone"> },
): Promise<string[]> => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const offer = p(input.offerId, "uuid");
  const kind = p(input.kind, "message_kind");
  const text = `
    WITH o AS (
      SELECT o.id, e.customer_id FROM waitlist_offers o JOIN waitlist_entries e ON e.id = o.entry_id AND e.company_id = o.company_id
      WHERE o.id = ${offer} AND o.company_id = ${co}
    ), ins AS (
      INSERT INTO messages (id, company_id, customer_id, waitlist_offer_id, kind, channel, language, state, send_after, correlation_id, created_at, updated_at)
      SELECT gen_random_uuid(), ${co}, o.customer_id, o.id, ${kind}, 'sms', COALESCE(cu.language, co.message_language), 'pending',
        ${p(new Date(ctx.now()), "timestamptz")}, ${p(ctx.correlationId)}, now(), now()
      FROM o JOIN customers cu ON cu.id = o.customer_id AND cu.company_id = ${co} JOIN companies co ON co.id = ${co}
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT ARRAY(SELECT id FROM ins UNION
                 SELECT m.id FROM messages m WHERE m.company_id = ${co} AND m.waitlist_offer_id = ${offer} AND m.kind = ${kind}
                   AND m.state IN ('pending', 'sending')) AS ids`;
  const { rows } = await tx.query<{ ids: string[] }>({ text, values });
  return rows[0]?.ids ?? [];
};
