/** find_appointments: the upcoming appointments of the number the caller calls from, never anyone else's. */
import type { VoiceAnswer, VoiceFunctionArgs } from "@askproai/shared";
import { phoneOfCustomer, VoiceRefusal, type VoiceCall } from "./call.js";
import { appointmentFields, describe, requireCaller, upcomingOfCaller } from "./own-appointments.js";
import { joinList } from "./speech.js";

/** How many appointments the agent reads out; the structured list has them all. */
const SPOKEN = 3;

export const findAppointments = async (call: VoiceCall, args: VoiceFunctionArgs["find_appointments"]): Promise<VoiceAnswer> => {
  const caller = requireCaller(call);
  // Another number would show another customer's appointments: only the caller's own is accepted.
  if (args.customer_phone && phoneOfCustomer(call, args.customer_phone) !== caller) {
    throw new VoiceRefusal(call.say.notOwnNumber(), "not_own_number");
  }
  const upcoming = await upcomingOfCaller(call);
  if (upcoming.length === 0) return { ok: true, result: call.say.foundNone(), appointments: [] };
  const list = joinList(call.lang, upcoming.slice(0, SPOKEN).map((a) => `${a.serviceName} ${call.lang === "en" ? "on" : "am"} ${describe(call, a)}`));
  return {
    ok: true,
    result: call.say.found(upcoming.length, list),
    appointments: upcoming.map((a) => ({ ...appointmentFields(call, a), branchId: a.branchId })),
  };
};
