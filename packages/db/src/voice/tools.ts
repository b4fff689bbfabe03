/**
 * What a business pastes into Retell to connect its agent (GET /voice/retell/tools): the five custom
 * functions (name, description, JSON Schema of the arguments generated from the same zod schemas that
 * validate them, the URL) and a suggested agent prompt for its business model and language.
 */
import { voiceFunctionArgs, type VoiceFunctionName } from "@askproai/shared";
import { z } from "zod";
import type { OperationContext } from "../context.js";
import { languageOf, type Language } from "./speech.js";

const DESCRIPTIONS: Record<VoiceFunctionName, string> = {
  check_availability:
    "Finds free appointment times for a service (optionally on a day, near a time, with a staff member, at a branch). Say the `result` to the caller. The times offered are held for this call for a few minutes.",
  book_appointment:
    "Books an appointment once the caller has chosen a time and given their name. Use a start from check_availability. Say the `result`; when `ok` is false it says what to ask or offers other times.",
  find_appointments: "Looks up the caller's upcoming appointments (only those of the number they are calling from). Say the `result`.",
  reschedule_appointment: "Moves one of the caller's appointments (an id from find_appointments) to a new time. Say the `result`.",
  cancel_appointment: "Cancels one of the caller's appointments (an id from find_appointments) after the caller confirmed. Say the `result`.",
};

const WHILE_RUNNING: Record<Language, string> = {
  de: "Sagen Sie kurz, dass Sie im Kalender nachsehen, z. B. „Einen Moment, ich schaue nach.“",
  en: "Briefly say that you are checking the calendar, e.g. “One moment, let me check.”",
};

/** Arguments as JSON Schema, the way Retell's `parameters` wants them (no `$schema`). */
const parametersOf = (name: VoiceFunctionName) => {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(voiceFunctionArgs[name]) as Record<string, unknown>;
  return schema;
};

const promptFor = (lang: Language, company: { name: string; businessModel: string; voiceGreeting: string | null; branches: string[]; services: string[] }) => {
  const what = company.businessModel === "multi_branch_hotline" ? "practice" : company.businessModel === "complex_service_matrix" ? "spa" : "salon";
  if (lang === "en") {
    return [
      `You are the friendly phone assistant of ${company.name}. The current time is {{current_time_Europe/Berlin}}.`,
      company.voiceGreeting ? `Greet callers with: "${company.voiceGreeting}"` : "",
      `Services: ${company.services.join(", ")}.${company.branches.length > 1 ? ` Locations: ${company.branches.join(", ")}; ask which one suits the caller if they say so, otherwise the nearest is chosen for them.` : ""}`,
      "Always call check_availability before offering a time; never invent times. Offer at most three of the times it returns.",
      "Before book_appointment, ask for the caller's full name and repeat the chosen time. Use the caller's phone number unless they give another one.",
      `To move or cancel, call find_appointments first; confirm which appointment before reschedule_appointment or cancel_appointment.`,
      "Say each function's `result` as it is; when `ok` is false, ask what it asks for. Keep answers short: this is a phone call.",
      what === "practice" ? "You cannot give medical advice; for emergencies tell the caller to dial 112." : "",
    ].filter(Boolean).join("\n");
  }
  return [
    `Sie sind die freundliche Telefonassistenz von ${company.name}. Es ist jetzt {{current_time_Europe/Berlin}}. Sie sprechen Deutsch und siezen die Anrufenden.`,
    company.voiceGreeting ? `Begrüßen Sie mit: „${company.voiceGreeting}“` : "",
    `Leistungen: ${company.services.join(", ")}.${company.branches.length > 1 ? ` Standorte: ${company.branches.join(", ")}; fragen Sie nach dem Wunschstandort, sonst wird der nächstgelegene gewählt.` : ""}`,
    "Rufen Sie immer check_availability auf, bevor Sie eine Uhrzeit anbieten; erfinden Sie nie Termine. Nennen Sie höchstens drei der angebotenen Zeiten.",
    "Fragen Sie vor book_appointment nach dem vollständigen Namen und wiederholen Sie den gewählten Termin. Die Rufnummer des Anrufers wird verwendet, außer er nennt eine andere.",
    "Zum Verschieben oder Absagen rufen Sie zuerst find_appointments auf und lassen sich den Termin bestätigen, bevor Sie reschedule_appointment oder cancel_appointment aufrufen.",
    "Sprechen Sie das `result` jeder Funktion so aus, wie es ist; bei `ok: false` fragen Sie nach dem, was es verlangt. Antworten Sie kurz: es ist ein Telefonat.",
    what === "practice" ? "Sie geben keine medizinischen Ratschläge; in Notfällen verweisen Sie auf die 112." : "",
  ].filter(Boolean).join("\n");
};

export const retellToolsFor = async (ctx: Pick<OperationContext, "db">, url: string) => {
  const company = await ctx.db.company.findFirstOrThrow({
    select: {
      name: true,
      businessModel: true,
      messageLanguage: true,
      voiceGreeting: true,
      branches: { where: { isActive: true }, select: { name: true }, orderBy: { name: "asc" } },
      services: { where: { isActive: true }, select: { name: true }, orderBy: { name: "asc" } },
    },
  });
  const lang = languageOf(company.messageLanguage);
  const functions = (Object.keys(DESCRIPTIONS) as VoiceFunctionName[]).map((name) => ({
    type: "custom" as const,
    name,
    description: DESCRIPTIONS[name],
    url,
    method: "POST" as const,
    parameters: parametersOf(name),
    // The whole body ({ name, call, args }) is needed: the call id makes retries harmless and the numbers route the call.
    args_at_root: false,
    speak_during_execution: name !== "find_appointments",
    execution_message_description: WHILE_RUNNING[lang],
    speak_after_execution: true,
    timeout_ms: 10_000,
  }));
  return {
    url,
    language: lang,
    businessModel: company.businessModel,
    functions,
    prompt: promptFor(lang, { ...company, branches: company.branches.map((b) => b.name), services: company.services.map((s) => s.name) }),
  };
};
