/**
 * Everything one message needs, read in one statement at send time: the message row, who receives it,
 * what it is about (the appointment as it is NOW, or the waitlist offer), the branch's zone and phone,
 * and the company's own template for it. Plain SQL: every table is filtered by company_id.
 */
import type { MessageChannel, MessageKind, MessageState, WaitlistOfferState, AppointmentStatus } from "../generated/prisma/enums.js";
import type { OperationContext } from "../context.js";
import type { MessageLanguage } from "./local-time.js";

export interface MessageFacts {
  id: string;
  kind: MessageKind;
  channel: MessageChannel;
  language: MessageLanguage;
  state: MessageState;
  attempts: number;
  attemptStartedAt: Date | null;
  attemptEndedAt: Date | null;
  bodySha256: string | null;
  appointmentVersion: number | null;
  appointmentStart: Date | null;
  phone: string;
  email: string | null;
  customerName: string;
  companyName: string;
  branchName: string;
  branchPhone: string | null;
  timezone: string;
  serviceName: string;
  staffName: string;
  /** The appointment now (null for waitlist messages). */
  appointment: { status: AppointmentStatus; startsAt: Date; version: number } | null;
  /** A notice of a later version of the same appointment exists: this one has nothing left to say. */
  superseded: boolean;
  offer: { state: WaitlistOfferState; startsAt: Date; expiresAt: Date; code: string } | null;
  template: { subject: string | null; body: string } | null;
}

export const loadMessageFacts = async (ctx: Pick<OperationContext, "companyId" | "sql">, messageId: string): Promise<MessageFacts | null> => {
  const { rows } = await ctx.sql.query<MessageFacts>({
    name: "askproai_message_facts",
    text: `
      SELECT m.id, m.kind, m.channel, m.language, m.state, m.attempts, m.attempt_started_at AS "attemptStartedAt",
        m.attempt_ended_at AS "attemptEndedAt", m.body_sha256 AS "bodySha256", m.appointment_version AS "appointmentVersion",
        m.appointment_start AS "appointmentStart",
        cu.phone, cu.email, cu.name AS "customerName", co.name AS "companyName", b.name AS "branchName", b.phone_number AS "branchPhone",
        b.timezone, s.name AS "serviceName", st.name AS "staffName",
        CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('status', a.status, 'startsAt', a.starts_at, 'version', a.version) END AS appointment,
        (m.kind IN ('confirmation', 'rescheduled', 'cancellation') AND EXISTS (
          SELECT 1 FROM messages later
          WHERE later.company_id = m.company_id AND later.appointment_id = m.appointment_id
            AND later.kind IN ('rescheduled', 'cancellation') AND later.appointment_version > m.appointment_version
        )) AS superseded,
        CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('state', o.state, 'startsAt', o.starts_at, 'expiresAt', o.expires_at, 'code', o.code) END AS offer,
        CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('subject', t.subject, 'body', t.body) END AS template
      FROM messages m
      JOIN customers cu ON cu.id = m.customer_id AND cu.company_id = m.company_id
      JOIN companies co ON co.id = m.company_id
      LEFT JOIN appointments a ON a.id = m.appointment_id AND a.company_id = m.company_id
      LEFT JOIN waitlist_offers o ON o.id = m.waitlist_offer_id AND o.company_id = m.company_id
      LEFT JOIN waitlist_entries e ON e.id = o.entry_id AND e.company_id = m.company_id
      JOIN branches b ON b.id = COALESCE(a.branch_id, o.branch_id) AND b.company_id = m.company_id
      JOIN services s ON s.id = COALESCE(a.service_id, e.service_id) AND s.company_id = m.company_id
      JOIN staff st ON st.id = COALESCE(a.staff_id, o.staff_id) AND st.company_id = m.company_id
      LEFT JOIN message_templates t ON t.company_id = m.company_id AND t.kind = m.kind AND t.channel = m.channel AND t.language = m.language
      WHERE m.id = $1::uuid AND m.company_id = $2::uuid`,
    values: [messageId, ctx.companyId],
  });
  const row = rows[0];
  if (!row) return null;
  // json_build_object answers instants as strings.
  return {
    ...row,
    appointment: row.appointment ? { ...row.appointment, startsAt: new Date(row.appointment.startsAt) } : null,
    offer: row.offer ? { ...row.offer, startsAt: new Date(row.offer.startsAt), expiresAt: new Date(row.offer.expiresAt) } : null,
  };
};
