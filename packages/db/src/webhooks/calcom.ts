/**
 * Cal.com booking webhooks (BOOKING_CREATED | BOOKING_RESCHEDULED | BOOKING_CANCELLED), attributed to
 * their company and applied by the calendar area's inbound sync (../calendar/inbound.ts): a booking made
 * directly in Cal.com for a mapped staff member blocks its time here (a clash becomes a sync conflict),
 * our own bookings echoed back are ignored. It runs inside the claiming transaction (`work.tx`), so
 * whatever it writes (the block, the availability version, the conflict) commits together with
 * `processed_at`.
 */
import { applyCalcomWebhook } from "../calendar/inbound.js";
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
  if (!known) return { companyId, detail: `${event.eventType} (not a booking event): recorded` };
  if (!companyId) return { companyId, detail: `${event.eventType}: recorded, company unknown` };
  const applied = await applyCalcomWebhook(work.tx, { companyId, correlationId: event.correlationId }, event.payload);
  return { companyId, detail: `${event.eventType}: ${applied.outcome}${applied.appointmentId ? ` (appointment ${applied.appointmentId})` : ""}` };
};
