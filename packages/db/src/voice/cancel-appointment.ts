/** cancel_appointment: cancels one of the caller's own appointments through the desk's cancelAppointment. */
import type { VoiceAnswer, VoiceFunctionArgs } from "@askproai/shared";
import { cancelAppointment as cancel } from "../booking/status-change.js";
import { VoiceRefusal, type VoiceCall } from "./call.js";
import { appointmentFields, describe, ownAppointment } from "./own-appointments.js";

export const cancelAppointment = async (call: VoiceCall, args: Partial<VoiceFunctionArgs["cancel_appointment"]>): Promise<VoiceAnswer> => {
  const appointment = await ownAppointment(call, args.appointment_id);
  const said = describe(call, appointment);
  if (appointment.status === "cancelled") {
    return { ok: true, result: call.say.alreadyCancelled(appointment.serviceName, said), appointment: appointmentFields(call, appointment) };
  }
  if (appointment.startsAt.getTime() <= call.ctx.now() || !["pending", "confirmed"].includes(appointment.status)) {
    throw new VoiceRefusal(call.say.appointmentOver(), "appointment_over");
  }
  const cancelled = await cancel(call.ctx, { id: appointment.id, reason: args.reason ?? "cancelled by the caller (voice agent)" });
  return {
    ok: true,
    result: call.say.cancelled(appointment.serviceName, said),
    appointment: appointmentFields(call, { ...appointment, status: cancelled.status }),
  };
};
