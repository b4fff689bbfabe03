/**
 * Cal.com booking webhooks (BOOKING_CREATED | BOOKING_RESCHEDULED | BOOKING_CANCELLED): today stored,
 * attributed to their company and marked processed. The inbound calendar sync replaces the body of
 * `processCalcomEvent`; it runs inside the claiming transaction (`work.tx`), so whatever it writes
 * commits together with `processed_at`.
 */
import type { StoredWebhookEvent, WebhookEffect, WebhookWork } from "./process.js";

export const CALCOM_BOOKING_EVENTS = ["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const processCalcomEvent = async (work: WebhookWork, event: StoredWebhookEvent): Promise<WebhookEffect> => {
  const payload = ((event.payload as { payload?: unknown } | null)?.payload ?? {}) as Record<string, unknown>;
  const metadata = (payload.metadata ?? {}) as Record<string, unknown>;
  const appointmentId = typeof metadata.askproaiAppointmentId === "string" && UUID.test(metadata.askproaiAppointmentId) ? metadata.askproaiAppointmentId : null;
  const uids = [payload.uid, payload.rescheduleUid].filter((u): u is string => typeof u === "string");
  const organizerId = (payload.organizer as { id?: unknown } | undefined)?.id;
  // Ours (our appointment id in the metadata, or a booking uid we keep), else the organizer's staff mapping.
  const { rows } = await work.tx.query<{ companyId: string | null }>({
    name: "askproai_calcom_company",
    text: `SELECT COALESCE(
             (SELECT company_id FROM appointments WHERE id = $1::uuid),
             (SELECT company_id FROM appointments WHERE calcom_booking_uid = ANY($2::text[]) LIMIT 1),
             (SELECT min(company_id::text)::uuid FROM staff WHERE calcom_user_id = $3::int HAVING count(DISTINCT company_id) = 1)
           ) AS "companyId"`,
    values: [appointmentId, uids, Number.isSafeInteger(organizerId) && (organizerId as number) > 0 && (organizerId as number) < 2 ** 31 ? organizerId : null],
  });
  const companyId = rows[0]?.companyId ?? null;
  const known = (CALCOM_BOOKING_EVENTS as readonly string[]).includes(event.eventType);
  return { companyId, detail: `${known ? event.eventType : `${event.eventType} (not a booking event)`}: recorded${companyId ? "" : ", company unknown"}` };
};
