/**
 * The bed of the messaging tests (messaging/*.integration.test.ts): a scratch database and cache, the SMS
 * gateway stand-in and the SMTP catcher, a context with a controllable clock, and the helpers that book,
 * deliver and read back messages.
 */
import { DateTime } from "luxon";
import { createAppointment } from "../booking/create.js";
import { poolOf } from "../client.js";
import { contextFor, type OperationContext, type OperationLog } from "../context.js";
import { deliverMessage, type DeliveryOptions } from "../messaging/deliver.js";
import type { FixtureCompany } from "./fixtures.js";
import { useMessagingStandIns } from "./messaging.js";
import { bookingRequest } from "./operations.js";
import { useTestbed } from "./testbed.js";

export const useMessagingTestbed = () => {
  const { bed } = useTestbed();
  const gw = useMessagingStandIns();
  const Z = "Europe/Berlin";

  let seq = 0;
  const ctxAt = (f: Pick<FixtureCompany, "companyId">, now?: number, log?: OperationLog): OperationContext =>
    contextFor(bed.deps, { companyId: f.companyId, correlationId: `msg-test-${seq++}`, actor: { type: "system" }, source: "api", log, now: now === undefined ? undefined : () => now });
  const berlin = (iso: string) => DateTime.fromISO(iso, { zone: Z }).toMillis();
  const phone = () => `+49151${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;

  const deliverAll = async (ctx: OperationContext, ids: string[], options?: DeliveryOptions) => {
    const results = [];
    for (const id of ids) results.push(await deliverMessage(ctx, gw.transports, id, options));
    return results;
  };
  const rowsOf = async (appointmentId: string) =>
    (await poolOf(bed.scratch.db).query<{ kind: string; channel: string; state: string; attempts: number; detail: string | null; reminder_offset_minutes: number }>(
      "SELECT kind, channel, state, attempts, detail, reminder_offset_minutes FROM messages WHERE appointment_id = $1 ORDER BY created_at, channel",
      [appointmentId],
    )).rows;
  const smsTo = (to: string) => gw.sms.messages.filter((m) => m.to === to && m.direction === "outbound-api");

  const book = async (f: FixtureCompany, start: string, extra: { email?: string; now?: number } = {}) => {
    const customerPhone = phone();
    const appointment = await createAppointment(ctxAt(f, extra.now), bookingRequest(f, { start, staffId: f.staffIds[0], customer: { phone: customerPhone, name: "Erika Mustermann", email: extra.email } }));
    return { appointment, phone: customerPhone };
  };

  return { bed, gw, Z, ctxAt, berlin, phone, deliverAll, rowsOf, smsTo, book };
};
