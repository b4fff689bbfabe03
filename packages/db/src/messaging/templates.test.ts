import { DomainError } from "@askproai/shared";
import { describe, expect, it } from "vitest";
import { MESSAGE_LANGUAGES } from "./local-time.js";
import { redactEmail, redactPhone, redactText } from "../ops/redact.js";
import { CHANNELS_OF, HINT, TEMPLATE_VARIABLES, builtInText, checkTemplate, renderMessage, type TemplateValues } from "./templates.js";

const values: TemplateValues = {
  company: "Salon Schnitt", branch: "Mitte", customer: "Erika Mustermann", service: "Haarschnitt", staff: "Lena", date: "Mo., 07.12.2026",
  time: "14:00", phone: "+493023125101", hint: HINT.de, code: "4711", holdMinutes: "10",
};
const GSM7 = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z[\\\]^_a-z{|}~£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà€]*$/;

describe("built-in texts", () => {
  it("exist for every kind, channel and language, name the time, the service and the staff, and use every placeholder known", () => {
    for (const language of MESSAGE_LANGUAGES) {
      for (const [kind, channels] of Object.entries(CHANNELS_OF) as [keyof typeof CHANNELS_OF, readonly ("sms" | "email")[]][]) {
        for (const channel of channels) {
          const text = builtInText(kind, channel, language);
          expect(() => checkTemplate(kind, channel, text)).not.toThrow();
          const rendered = renderMessage(text, { ...values, hint: HINT[language] });
          expect(rendered.body, `${kind} ${channel} ${language}`).toContain("14:00");
          expect(rendered.body).toContain("Mo., 07.12.2026");
          expect(rendered.body).not.toMatch(/\{\{/);
          if (kind !== "waitlist_gone") expect(rendered.body).toContain("Haarschnitt");
          if (channel === "sms") {
            // One alphabet keeps 160 characters per part; a stray dash would halve that.
            expect(rendered.body, `${kind} ${language}`).toMatch(GSM7);
            expect(rendered.body.length).toBeLessThan(320);
          } else expect(rendered.subject).toContain("Mo., 07.12.2026");
        }
      }
    }
  });

  it("end appointment messages with the cancel/reschedule hint and the branch's number, offers with the reply keyword", () => {
    expect(renderMessage(builtInText("confirmation", "sms", "de"), values).body).toMatch(/Absagen oder verschieben: \+493023125101$/);
    expect(renderMessage(builtInText("reminder", "sms", "en"), { ...values, hint: HINT.en }).body).toMatch(/To cancel or reschedule call \+493023125101$/);
    expect(renderMessage(builtInText("waitlist_offer", "sms", "de"), values).body).toContain("JA 4711");
    expect(renderMessage(builtInText("waitlist_offer", "sms", "en"), values).body).toContain("YES 4711");
    expect(() => builtInText("waitlist_offer", "email", "de")).toThrow(DomainError);
  });
});

describe("company templates", () => {
  it("may use only the known placeholders, fit an SMS, and need a subject as e-mail", () => {
    expect(() => checkTemplate("confirmation", "sms", { body: "Hallo {{customer}}, {{date}} {{time}}" })).not.toThrow();
    expect(() => checkTemplate("confirmation", "sms", { body: "Hallo {{vorname}} {{ price }}" })).toThrow(/\{\{vorname\}\}, \{\{price\}\}/);
    expect(() => checkTemplate("confirmation", "sms", { body: "x".repeat(1001) })).toThrow(/at most 1000/);
    expect(() => checkTemplate("reminder", "email", { body: "Hallo" })).toThrow(/subject/);
    expect(() => checkTemplate("waitlist_offer", "email", { subject: "x", body: "y" })).toThrow(/not sent by email/);
    expect(TEMPLATE_VARIABLES).toContain("hint");
  });

  it("render whitespace-tolerant placeholders and leave unknown ones empty", () => {
    expect(renderMessage({ body: "{{ customer }}: {{time}}{{nope}}" }, values).body).toBe("Erika Mustermann: 14:00");
  });
});

describe("redaction", () => {
  it("keeps country code and last digits of numbers, the first letter and top-level domain of addresses", () => {
    expect(redactPhone("+4915123456789")).toBe("+49*********89");
    expect(redactEmail("erika.mustermann@example.de")).toBe("e***@***.de");
    const text = redactText("The 'To' number +49 151 2345 6789 is invalid; mail erika@example.de");
    expect(text).not.toMatch(/2345|erika@|example/);
    expect(text).toContain("+49");
  });
});
