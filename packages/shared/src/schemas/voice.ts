/**
 * The voice agent's boundary (contract.md, "Voice agent functions"): the body Retell sends to a custom
 * function, and the arguments of each function as an LLM fills them (strings, names as a caller says
 * them). The same schemas validate requests and, as JSON Schema (`z.toJSONSchema`), tell Retell what
 * to send (GET /voice/retell/tools).
 */
import { z } from "zod";
import { text as checkedText } from "./text.js";

export const VOICE_FUNCTION_NAMES = ["check_availability", "book_appointment", "find_appointments", "reschedule_appointment", "cancel_appointment"] as const;
export type VoiceFunctionName = (typeof VOICE_FUNCTION_NAMES)[number];

/** Retell's custom-function body: `{ name, call, args }`; `call` is the call object so far (extra fields allowed). */
export const retellFunctionRequest = z.object({
  name: checkedText({ max: 100 }),
  call: z.looseObject({
    call_id: checkedText({ min: 1, max: 200 }),
    agent_id: checkedText({ max: 200 }).nullish(),
    from_number: checkedText({ max: 64 }).nullish(),
    to_number: checkedText({ max: 64 }).nullish(),
  }),
  args: z.record(z.string(), z.unknown()).default({}),
});
export type RetellFunctionRequest = z.infer<typeof retellFunctionRequest>;

const text = (max: number, description: string) => checkedText({ min: 1, max, name: true }).describe(description);
const service = text(200, 'The service as the caller names it, e.g. "Herrenhaarschnitt" (or a service id).');
const staff = text(200, 'The staff member the caller asks for, as they name them, e.g. "Lena" (or a staff id). Omit when any staff member is fine.');
const branch = text(200, 'The branch or city the caller asks for, e.g. "Hamburg" (or a branch id). Omit to use the number that was called.');
const date = text(40, "A day in the business's local time as YYYY-MM-DD.");
const time = text(40, 'A time of day in the business\'s local time as HH:MM (24 h), e.g. "14:30".');
const start = text(60, "The appointment start as ISO-8601 with offset, e.g. 2026-12-01T14:30:00+01:00 (alternative to date + time).");
const appointmentId = text(100, "The id of the appointment, as answered by find_appointments.");

export const checkAvailabilityArgs = z.object({ service, date: date.optional(), time: time.optional(), staff: staff.optional(), branch: branch.optional() });
export const bookAppointmentArgs = z.object({
  service,
  start: start.optional(),
  date: date.optional(),
  time: time.optional(),
  staff: staff.optional(),
  branch: branch.optional(),
  customer_name: text(200, "The caller's full name."),
  customer_phone: text(40, "The phone number to book under; omit to use the number the caller is calling from.").optional(),
});
export const findAppointmentsArgs = z.object({
  customer_phone: text(40, "Omit: appointments are found for the number the caller is calling from.").optional(),
});
export const rescheduleAppointmentArgs = z.object({
  appointment_id: appointmentId,
  start: start.optional(),
  date: date.optional(),
  time: time.optional(),
  staff: staff.optional(),
});
export const cancelAppointmentArgs = z.object({
  appointment_id: appointmentId,
  reason: text(500, "Why the caller cancels, in their words (optional).").optional(),
});

export const voiceFunctionArgs = {
  check_availability: checkAvailabilityArgs,
  book_appointment: bookAppointmentArgs,
  find_appointments: findAppointmentsArgs,
  reschedule_appointment: rescheduleAppointmentArgs,
  cancel_appointment: cancelAppointmentArgs,
} as const satisfies Record<VoiceFunctionName, z.ZodObject>;

export type VoiceFunctionArgs = { [K in VoiceFunctionName]: z.infer<(typeof voiceFunctionArgs)[K]> };

/**
 * What an LLM actually sends, made fit for the schemas above: `null` and blank strings mean "not
 * given", numbers become strings (a model may send `14` for a time), strings are trimmed. Anything
 * else (objects, arrays, booleans) is left for the schema to refuse.
 */
export const lenientArgs = (args: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "number" && Number.isFinite(value)) out[key] = String(value);
    else if (typeof value === "string") {
      const trimmed = value.trim();
      if (trimmed !== "") out[key] = trimmed;
    } else out[key] = value;
  }
  return out;
};

/** A slot as the agent hears of it: the instant with the branch's offset and who would serve. */
export const voiceSlot = z.object({ start: z.string(), staffId: z.string(), staffName: z.string() });
export type VoiceSlot = z.infer<typeof voiceSlot>;

/** Every answer: `ok`, one or two sentences the agent can say, and structured fields beside them. */
export interface VoiceAnswer {
  ok: boolean;
  result: string;
  [field: string]: unknown;
}
