/**
 * book_appointment: books through the same createAppointment as the desk (source `voice`, the Retell
 * call id on the appointment). A slot the call holds is booked where and for whom it is held (its hold
 * becomes the booking's lock); the call's other holds end with the booking. A slot that is gone answers
 * the nearest free times instead, held for the call in turn.
 */
import { createHash } from "node:crypto";
import { DomainError, toZonedIso, type Slot, type UnavailableReason, type VoiceAnswer, type VoiceFunctionArgs } from "@askproai/shared";
import { voiceBookingAllowed } from "../billing/state.js";
import { createAppointment } from "../booking/create.js";
import { activeSql } from "../booking/statuses.js";
import { phoneOfCustomer, VoiceRefusal, type VoiceCall } from "./call.js";
import { resolveRequest } from "./check-availability.js";
import { holdsOfCall, releaseOwnHolds } from "./holds.js";
import { firstFreeDay, freeSlots, nearestTo, offerHeld, whyNotFree, nextDay, slotFields, spokenSlotsOf, type OfferQuery } from "./offers.js";
import { appointmentFields, describe } from "./own-appointments.js";
import { requireBookable } from "./resolve.js";
import { spokenDay, spokenSlots } from "./speech.js";

type Args = VoiceFunctionArgs["book_appointment"];
const ALTERNATIVES = 3;

/** The nearest free times to `start` (that day, else the next day with any), held for the call. */
export const offerInstead = (call: VoiceCall, query: OfferQuery, start: number, date: string): Promise<Slot[]> =>
  offerHeld(call, query, async () => {
    const day = await freeSlots(call, query, date, 1);
    const pool = day.length > 0 ? day : ((await firstFreeDay(call, query, nextDay(date), 7))?.slots ?? []);
    return nearestTo(pool, start, ALTERNATIVES);
  });

/**
 * The answer when the wanted time cannot be booked: taken (`reason` null), or never bookable (outside
 * working hours, off the slot grid), with the held alternatives said and listed.
 */
export const unavailableAnswer = (call: VoiceCall, query: OfferQuery, reason: UnavailableReason | null, alternatives: Slot[]): VoiceAnswer => {
  const zone = query.branch.timezone;
  const said = spokenSlots(call.lang, spokenSlotsOf(call, alternatives), zone, call.ctx.now());
  const taken = reason === null || reason === "staff_not_eligible";
  return {
    ok: false,
    reason: taken ? "slot_taken" : reason,
    result: !taken ? call.say.notPossible(said) : alternatives.length > 0 ? call.say.slotGone(said) : call.say.slotGoneNoAlternative(),
    alternatives: slotFields(call, alternatives, zone),
    branchId: query.branch.id,
  };
};

/** null: the start is taken (CONFLICT); a reason: it could never be booked (BAD_REQUEST with `reason`); undefined: another error. */
export const unavailableReasonOf = (error: unknown): UnavailableReason | null | undefined => {
  if (!(error instanceof DomainError)) return undefined;
  if (error.code === "CONFLICT") return null;
  return error.code === "BAD_REQUEST" && error.details.reason ? error.details.reason : undefined;
};

/** Who serves at `start`: the staff member with the most free time that day among those free then. */
const staffFreeAt = async (call: VoiceCall, query: OfferQuery, date: string, start: number) => {
  const day = await freeSlots(call, query, date, 1);
  const count = new Map<string, number>();
  for (const s of day) count.set(s.staffId, (count.get(s.staffId) ?? 0) + 1);
  return day.filter((s) => s.start === start).sort((a, b) => (count.get(b.staffId) ?? 0) - (count.get(a.staffId) ?? 0))[0]?.staffId ?? null;
};

/** An appointment this call already booked for the same customer, service and start (the model asked twice in other words). */
const bookedInThisCall = async (call: VoiceCall, serviceId: string, start: number, phone: string) => {
  const { rows } = await call.ctx.sql.query<Booked>({
    name: "askproai_voice_booked_in_call",
    text: `SELECT a.id, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.staff_id AS "staffId", a.status FROM appointments a JOIN customers c ON c.id = a.customer_id AND c.company_id = a.company_id
           WHERE a.company_id = $1::uuid AND a.retell_call_id = $2 AND a.service_id = $3::uuid AND a.starts_at = to_timestamp($4::double precision / 1000)
             AND c.phone = $5 AND ${activeSql("a")}`,
    values: [call.ctx.companyId, call.retellCallId, serviceId, start, phone],
  });
  return rows[0] ?? null;
};

interface Booked {
  id: string;
  startsAt: Date;
  endsAt: Date;
  staffId: string;
  status: string;
}

export const bookAppointment = async (call: VoiceCall, args: Args): Promise<VoiceAnswer> => {
  // A cancelled or unpaid subscription past its period: the desk keeps working, the agent books nothing new.
  const billing = { status: call.company.billingStatus, periodEnd: call.company.billingPeriodEnd ? new Date(call.company.billingPeriodEnd) : null };
  if (!voiceBookingAllowed(billing, call.ctx.now())) throw new VoiceRefusal(call.say.bookingPaused(), "billing_inactive");
  const phone = args.customer_phone ? phoneOfCustomer(call, args.customer_phone) : call.callerPhone;
  if (!phone) throw new VoiceRefusal(args.customer_phone ? call.say.badPhone() : call.say.needPhone(), args.customer_phone ? "bad_phone" : "missing_phone");
  if (!args.start && !args.date && !args.time) throw new VoiceRefusal(call.say.needStart(), "missing_start");

  const holds = await holdsOfCall(call.ctx);
  const { query, wish, heldStaff } = await resolveRequest(call, args, (start, staffId) =>
    holds.find((h) => h.start === start && (staffId === null || h.staffId === staffId)),
  );
  const zone = query.branch.timezone;
  if (wish.start === null || wish.date === null) {
    throw new VoiceRefusal(wish.date ? call.say.needTime(spokenDay(call.lang, Date.parse(`${wish.date}T12:00:00Z`), "UTC", call.ctx.now())) : call.say.needStart(), "missing_time");
  }
  requireBookable(call, wish.start);

  const already = await bookedInThisCall(call, query.service.id, wish.start, phone);
  const staffId = query.staffId ?? heldStaff ?? (already ? null : await staffFreeAt(call, query, wish.date, wish.start));
  if (!already && !staffId) return unavailableAnswer(call, query, await whyNotFree(call, query, wish.start), await offerInstead(call, query, wish.start, wish.date));

  const key = createHash("sha256")
    .update(JSON.stringify([query.branch.id, query.service.id, wish.start, staffId, phone, args.customer_name.trim().toLowerCase()]))
    .digest("hex");
  let booked = already;
  if (!booked) {
    try {
      const created = await createAppointment(call.ctx, {
        branchId: query.branch.id,
        serviceId: query.service.id,
        staffId: staffId!,
        start: toZonedIso(wish.start, zone),
        customer: { phone, name: args.customer_name.trim() },
        idempotencyKey: `voice:${call.retellCallId}:${key}`,
      });
      booked = { id: created.id, startsAt: new Date(created.start), endsAt: new Date(created.end), staffId: created.staffId, status: created.status };
    } catch (error) {
      const reason = unavailableReasonOf(error);
      if (reason === undefined) throw error;
      return unavailableAnswer(call, query, reason, await offerInstead(call, query, wish.start, wish.date));
    }
  }
  await releaseOwnHolds(call.ctx);

  const appointment = { ...booked, timezone: zone, serviceName: query.service.name };
  const said = describe(call, appointment);
  return {
    ok: true,
    result: already ? call.say.alreadyBooked(query.service.name, said) : call.say.booked(query.service.name, said),
    appointment: appointmentFields(call, appointment),
    branchId: query.branch.id,
  };
};
