/**
 * Message texts: built in for German (the default) and English, each overridable per company, kind,
 * channel and language (`message_templates`). Placeholders are `{{name}}`; a company's template may use
 * only the names below, checked when it is saved. SMS texts stay in the GSM-7 alphabet (umlauts are
 * in it; dashes and typographic quotes are not and would halve the characters per SMS).
 */
import { DomainError } from "@askproai/shared";
import type { MessageChannel, MessageKind } from "../generated/prisma/enums.js";
import type { MessageLanguage } from "./local-time.js";

export const TEMPLATE_VARIABLES = ["company", "branch", "customer", "service", "staff", "date", "time", "phone", "hint", "code", "holdMinutes"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

export interface MessageText {
  subject?: string;
  body: string;
}

/** Offers and "gone" notices are answered by SMS reply, so they exist only as SMS. */
export const CHANNELS_OF: Record<MessageKind, readonly MessageChannel[]> = {
  confirmation: ["sms", "email"],
  rescheduled: ["sms", "email"],
  cancellation: ["sms", "email"],
  reminder: ["sms", "email"],
  waitlist_offer: ["sms"],
  waitlist_gone: ["sms"],
};

/** The short cancel/reschedule hint every appointment message ends with. */
export const HINT: Record<MessageLanguage, string> = {
  de: "Absagen oder verschieben: {{phone}}",
  en: "To cancel or reschedule call {{phone}}",
};

const SMS: Record<MessageLanguage, Record<MessageKind, string>> = {
  de: {
    confirmation: "{{company}}: Ihr Termin ist gebucht: {{service}} bei {{staff}}, {{date}} um {{time}} Uhr. {{hint}}",
    rescheduled: "{{company}}: Ihr Termin wurde verlegt: {{service}} bei {{staff}}, jetzt {{date}} um {{time}} Uhr. {{hint}}",
    cancellation: "{{company}}: Ihr Termin {{service}} am {{date}} um {{time}} Uhr ist abgesagt. Neuen Termin vereinbaren: {{phone}}",
    reminder: "{{company}}: Erinnerung an Ihren Termin: {{service}} bei {{staff}}, {{date}} um {{time}} Uhr. {{hint}}",
    waitlist_offer:
      "{{company}}: Ein Termin ist frei geworden: {{service}} bei {{staff}}, {{date}} um {{time}} Uhr. Antworten Sie JA {{code}} in den nächsten {{holdMinutes}} Minuten, um ihn zu buchen, oder NEIN.",
    waitlist_gone: "{{company}}: Leider ist der Termin {{date}} um {{time}} Uhr nicht mehr frei. Wir melden uns, sobald wieder etwas frei wird.",
  },
  en: {
    confirmation: "{{company}}: Your appointment is booked: {{service}} with {{staff}}, {{date}} at {{time}}. {{hint}}",
    rescheduled: "{{company}}: Your appointment has moved: {{service}} with {{staff}}, now {{date}} at {{time}}. {{hint}}",
    cancellation: "{{company}}: Your appointment {{service}} on {{date}} at {{time}} is cancelled. To book again call {{phone}}",
    reminder: "{{company}}: Reminder of your appointment: {{service}} with {{staff}}, {{date}} at {{time}}. {{hint}}",
    waitlist_offer:
      "{{company}}: A slot has opened: {{service}} with {{staff}}, {{date}} at {{time}}. Reply YES {{code}} within {{holdMinutes}} minutes to book it, or NO.",
    waitlist_gone: "{{company}}: Sorry, the slot on {{date}} at {{time}} is no longer free. We will let you know when another one opens.",
  },
};

const EMAIL_SUBJECT: Record<MessageLanguage, Partial<Record<MessageKind, string>>> = {
  de: {
    confirmation: "Terminbestätigung: {{service}} am {{date}} um {{time}} Uhr",
    rescheduled: "Ihr Termin wurde verlegt: {{date}} um {{time}} Uhr",
    cancellation: "Ihr Termin am {{date}} um {{time}} Uhr ist abgesagt",
    reminder: "Erinnerung: {{service}} am {{date}} um {{time}} Uhr",
  },
  en: {
    confirmation: "Appointment confirmed: {{service}} on {{date}} at {{time}}",
    rescheduled: "Your appointment has moved: {{date}} at {{time}}",
    cancellation: "Your appointment on {{date}} at {{time}} is cancelled",
    reminder: "Reminder: {{service}} on {{date}} at {{time}}",
  },
};

const EMAIL_LEAD: Record<MessageLanguage, Partial<Record<MessageKind, string>>> = {
  de: {
    confirmation: "Ihr Termin ist gebucht:",
    rescheduled: "Ihr Termin wurde verlegt. Neu:",
    cancellation: "Dieser Termin ist abgesagt:",
    reminder: "wir erinnern Sie an Ihren Termin:",
  },
  en: {
    confirmation: "your appointment is booked:",
    rescheduled: "your appointment has moved. Now:",
    cancellation: "this appointment is cancelled:",
    reminder: "a reminder of your appointment:",
  },
};

const emailBody = (language: MessageLanguage, kind: MessageKind) =>
  language === "de"
    ? `Guten Tag {{customer}},\n\n${EMAIL_LEAD.de[kind]}\n\n{{service}} bei {{staff}}\n{{date}} um {{time}} Uhr\n{{branch}}\n\n${kind === "cancellation" ? "Neuen Termin vereinbaren: {{phone}}" : "{{hint}}"}\n\nIhr Team von {{company}}\n`
    : `Hello {{customer}},\n\n${EMAIL_LEAD.en[kind]}\n\n{{service}} with {{staff}}\n{{date}} at {{time}}\n{{branch}}\n\n${kind === "cancellation" ? "To book again call {{phone}}" : "{{hint}}"}\n\nYour team at {{company}}\n`;

/** The built-in text of a message. */
export const builtInText = (kind: MessageKind, channel: MessageChannel, language: MessageLanguage): MessageText => {
  if (channel === "sms") return { body: SMS[language][kind] };
  const subject = EMAIL_SUBJECT[language][kind];
  if (!subject) throw new DomainError("BAD_REQUEST", `${kind} messages are sent by SMS only`);
  return { subject, body: emailBody(language, kind) };
};

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export const renderText = (text: string, values: TemplateValues) =>
  text.replace(PLACEHOLDER, (_m, name: string) => ((TEMPLATE_VARIABLES as readonly string[]).includes(name) ? values[name as TemplateVariable] : ""));

export const renderMessage = (text: MessageText, values: TemplateValues): MessageText => {
  const hinted = { ...values, hint: renderText(values.hint, values) };
  return { subject: text.subject === undefined ? undefined : renderText(text.subject, hinted).replace(/\s+/g, " ").trim(), body: renderText(text.body, hinted).trim() };
};

export const SMS_TEMPLATE_MAX = 1000;

/** A company's own template must name only known placeholders and fit an SMS (e-mails need a subject). */
export const checkTemplate = (kind: MessageKind, channel: MessageChannel, text: MessageText) => {
  if (!CHANNELS_OF[kind].includes(channel)) throw new DomainError("BAD_REQUEST", `${kind} messages are not sent by ${channel}`, { fields: ["channel"] });
  const unknown = new Set<string>();
  for (const part of [text.subject ?? "", text.body]) {
    for (const [, name] of part.matchAll(PLACEHOLDER)) if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name!)) unknown.add(name!);
  }
  if (unknown.size > 0) {
    throw new DomainError("BAD_REQUEST", `unknown placeholder(s) ${[...unknown].map((n) => `{{${n}}}`).join(", ")}; known: ${TEMPLATE_VARIABLES.join(", ")}`, { fields: ["body"] });
  }
  if (channel === "sms" && text.body.length > SMS_TEMPLATE_MAX) throw new DomainError("BAD_REQUEST", `an SMS template may have at most ${SMS_TEMPLATE_MAX} characters`, { fields: ["body"] });
  if (channel === "email" && !text.subject?.trim()) throw new DomainError("BAD_REQUEST", "an e-mail template needs a subject", { fields: ["subject"] });
};
