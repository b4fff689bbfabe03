/**
 * reschedule_appointment: moves one of the caller's own appointments through the desk's
 * rescheduleAppointment (a slot the call holds is converted like a booking's); a time that is gone
 * answers the nearest free ones, held for the call.
 */
import { toZonedIso, type VoiceAnswer, type VoiceFunctionArgs } from "@askproai/shared";
import { rescheduleAppointment as reschedule } from "../booking/reschedule.js";
import { VoiceRefusal, type VoiceCall } from "./call.js";
import { offerInstead, unavailableAnswer, unavailableReasonOf } from "./book-appointment.js";
import { readWish } from "./check-availability.js";
import { holdsOfCall, releaseOwnHolds } from "./holds.js";
import { appointmentFields, describe, ownAppointment } from "./own-appointments.js";
import { requireBookable, requireOffers, resolveStaffAnywhere } from "./resolve.js";
import { spokenDay } from "./speech.js";

type Args = Partial<VoiceFunctionArgs["reschedule_appointment"]>;

export const rescheduleAppointment = async (call: VoiceCall, args: Args): Promise<VoiceAnswer> => {
  const appointment = await ownAppointment(call, args.appointment_id);
  if (appointment.startsAt.getTime() <= call.ctx.now() || !["pending", "confirmed"].includes(appointment.status)) {
    throw new VoiceRefusal(call.say.appointmentOver(), "appointment_over");
  }
  const branch = call.branches.find((b) => b.id === appointment.branchId);
  const service = call.services.find((s) => s.id === appointment.serviceId);
  if (!branch || !service) throw new VoiceRefusal(call.say.appointmentNotFound(), "appointment_not_found");
  if (!args.start && !args.date && !args.time) throw new VoiceRefusal(call.say.needStart(), "missing_start");
  const wish = readWish(call, args, branch.timezone);
  if (wish.start === null || wish.date === null) {
    throw new VoiceRefusal(call.say.needTime(spokenDay(call.lang, Date.parse(`${wish.date}T12:00:00Z`), "UTC", call.ctx.now())), "missing_time");
  }
  requireBookable(call, wish.start);
  const staff = args.staff ? resolveStaffAnywhere(call, args.staff) : null;
  if (staff) requireOffers(call, staff, service, branch.id);
  // Where the call holds the new time, the move goes to the staff member it is held for.
  const held = (await holdsOfCall(call.ctx)).find((h) => h.branchId === branch.id && h.start === wish.start && (!staff || h.staffId === staff.id));
  const staffId = staff?.id ?? held?.staffId ?? appointment.staffId;
  const query = { branch, service, staffId: staff?.id ?? null };

  const unchanged = appointment.startsAt.getTime() === wish.start && appointment.staffId === staffId;
  let moved = appointment;
  if (!unchanged) {
    try {
      const out = await reschedule(call.ctx, { id: appointment.id, start: toZonedIso(wish.start, branch.timezone), staffId, expectedVersion: appointment.version });
      moved = { ...appointment, startsAt: new Date(out.start), endsAt: new Date(out.end), staffId: out.staffId, version: out.version };
    } catch (error) {
      const reason = unavailableReasonOf(error);
      if (reason === undefined) throw error;
      return unavailableAnswer(call, query, reason, await offerInstead(call, query, wish.start, wish.date));
    }
    await releaseOwnHolds(call.ctx);
  }
  return {
    ok: true,
    result: call.say.moved(service.name, describe(call, moved)),
    appointment: appointmentFields(call, moved),
  };
};
