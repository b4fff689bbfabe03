/**
 * The voice agent's custom functions (contract.md, "Voice agent functions"), answered for one Retell
 * request: the call is opened (company and branch by the number called), the arguments read
 * forgivingly, the function run once per (call, function, arguments) however often Retell repeats it,
 * and every outcome turned into `{ ok, result, ... }`: one or two sentences the agent can say, with
 * structured fields beside them. Nothing here answers with an error the agent cannot voice.
 */
import { lenientArgs, VOICE_FUNCTION_NAMES, voiceFunctionArgs, type RetellFunctionRequest, type VoiceAnswer, type VoiceFunctionArgs, type VoiceFunctionName } from "@askproai/shared";
import type { DomainDeps, OperationLog } from "../context.js";
import { bookAppointment } from "./book-appointment.js";
import { openCall, VoiceRefusal, type VoiceCall } from "./call.js";
import { cancelAppointment } from "./cancel-appointment.js";
import { checkAvailability } from "./check-availability.js";
import { findAppointments } from "./find-appointments.js";
import { phrasesFor, type Phrases } from "./phrases.js";
import { answerOnce, forgetOtherAnswers } from "./replay.js";
import { rescheduleAppointment } from "./reschedule-appointment.js";

type Handler<K extends VoiceFunctionName> = (call: VoiceCall, args: VoiceFunctionArgs[K]) => Promise<VoiceAnswer>;

const HANDLERS: { [K in VoiceFunctionName]: Handler<K> } = {
  check_availability: checkAvailability,
  book_appointment: bookAppointment,
  find_appointments: findAppointments,
  reschedule_appointment: rescheduleAppointment,
  cancel_appointment: cancelAppointment,
};

// Callers say "my appointment": without an id, the caller's only upcoming one is meant (own-appointments.ts).
const PARSERS = {
  ...voiceFunctionArgs,
  reschedule_appointment: voiceFunctionArgs.reschedule_appointment.partial({ appointment_id: true }),
  cancel_appointment: voiceFunctionArgs.cancel_appointment.partial({ appointment_id: true }),
};

/** What the agent should ask when an argument is missing or unusable. */
const ASK_FOR: Record<string, keyof Phrases> = {
  service: "needService",
  customer_name: "needName",
  customer_phone: "badPhone",
  appointment_id: "needAppointment",
  date: "badDate",
  start: "badDate",
  time: "badTime",
};

/** Functions that change appointments: after one succeeds, earlier answers of the call may be out of date. */
const CHANGES: ReadonlySet<VoiceFunctionName> = new Set(["book_appointment", "reschedule_appointment", "cancel_appointment"]);

const isFunctionName = (name: string): name is VoiceFunctionName => (VOICE_FUNCTION_NAMES as readonly string[]).includes(name);

const parseArgs = <K extends VoiceFunctionName>(call: VoiceCall, name: K, raw: Record<string, unknown>): VoiceFunctionArgs[K] => {
  const parsed = PARSERS[name].safeParse(lenientArgs(raw));
  if (parsed.success) return parsed.data as VoiceFunctionArgs[K];
  const field = String(parsed.error.issues[0]?.path[0] ?? "");
  const ask = ASK_FOR[field] ?? "notUnderstood";
  throw new VoiceRefusal((call.say[ask] as () => string)(), field ? `invalid_${field}` : "invalid_arguments", { field });
};

const refusalAnswer = (refusal: VoiceRefusal): VoiceAnswer => ({ ok: false, result: refusal.result, reason: refusal.reason, ...refusal.fields });

export interface VoiceRequestContext {
  correlationId: string;
  log: OperationLog;
  now?: () => number;
}

export const answerVoiceFunction = async (deps: DomainDeps, request: RetellFunctionRequest, acting: VoiceRequestContext): Promise<VoiceAnswer> => {
  const { log } = acting;
  let call: VoiceCall | null;
  try {
    call = await openCall(deps, { call: request.call, correlationId: acting.correlationId, log, now: acting.now });
  } catch (error) {
    log.error({ err: error, function: request.name }, "voice function: could not open the call");
    return { ok: false, reason: "temporary_failure", result: phrasesFor("de").tryAgain() };
  }
  if (!call) return { ok: false, reason: "unknown_number", result: phrasesFor("de").unknownNumber() };
  const name = request.name;
  if (!isFunctionName(name)) return { ok: false, reason: "unknown_function", result: call.say.unknownFunction() };
  // A company still being set up (or suspended) gets a polite answer, not a half-working agent.
  if (!call.readiness.ready) return { ok: false, reason: "not_ready", result: call.say.notReady(), missing: call.readiness.missing };

  const opened = call;
  try {
    const answer = await answerOnce(opened.ctx, { retellCallId: opened.retellCallId, name, args: request.args }, async () => {
      try {
        const answer = await (HANDLERS[name] as Handler<typeof name>)(opened, parseArgs(opened, name, request.args));
        if (answer.ok && CHANGES.has(name)) await forgetOtherAnswers(opened.ctx, opened.retellCallId, { name, args: request.args });
        return answer;
      } catch (error) {
        if (error instanceof VoiceRefusal) return refusalAnswer(error);
        throw error;
      }
    });
    log.info({ function: name, ok: answer.ok, reason: answer.reason, companyId: opened.ctx.companyId }, "voice function answered");
    return answer;
  } catch (error) {
    log.error({ err: error, function: name, companyId: opened.ctx.companyId }, "voice function failed");
    return { ok: false, reason: "temporary_failure", result: opened.say.tryAgain() };
  }
};
