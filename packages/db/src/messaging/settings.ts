/**
 * A company's messaging settings (reminder offsets, language, waitlist hold, no-show limit), its own
 * templates, and the list of messages sent about an appointment or to a customer (never their text).
 */
import {
  toZonedIso, type ListMessagesInput, type MessagingSettingsInput, type MessagingSettingsOut, type SetTemplateInput,
} from "@askproai/shared";
import type { MessageChannel, MessageKind } from "../generated/prisma/enums.js";
import type { OperationContext } from "../context.js";
import { companyProfileOf } from "../directory/directory.js";
import { MESSAGE_LANGUAGES, type MessageLanguage } from "./local-time.js";
import { DEFAULT_REMINDER_OFFSETS_MINUTES } from "./reminder-times.js";
import { CHANNELS_OF, builtInText, checkTemplate } from "./templates.js";

type Ctx = Pick<OperationContext, "db" | "companyId" | "caches" | "now">;

const settingsSelect = { reminderOffsetsMinutes: true, messageLanguage: true, waitlistHoldMinutes: true, noShowLimit: true } as const;

const toSettings = (c: { reminderOffsetsMinutes: number[]; messageLanguage: string; waitlistHoldMinutes: number; noShowLimit: number | null }): MessagingSettingsOut => ({
  reminderOffsetsMinutes: c.reminderOffsetsMinutes ?? [...DEFAULT_REMINDER_OFFSETS_MINUTES],
  language: c.messageLanguage as MessageLanguage,
  waitlistHoldMinutes: c.waitlistHoldMinutes,
  noShowLimit: c.noShowLimit,
});

export const getMessagingSettings = async ({ db }: Ctx): Promise<MessagingSettingsOut> =>
  toSettings(await db.company.findFirstOrThrow({ select: settingsSelect }));

export const updateMessagingSettings = async ({ db, companyId }: Ctx, input: MessagingSettingsInput): Promise<MessagingSettingsOut> =>
  toSettings(
    await db.company.update({
      where: { id: companyId },
      data: {
        ...(input.reminderOffsetsMinutes ? { reminderOffsetsMinutes: [...input.reminderOffsetsMinutes].sort((a, b) => b - a) } : {}),
        ...(input.language ? { messageLanguage: input.language } : {}),
        ...(input.waitlistHoldMinutes ? { waitlistHoldMinutes: input.waitlistHoldMinutes } : {}),
        ...(input.noShowLimit !== undefined ? { noShowLimit: input.noShowLimit } : {}),
      },
      select: settingsSelect,
    }),
  );

export interface TemplateOut {
  kind: MessageKind;
  channel: MessageChannel;
  language: MessageLanguage;
  subject: string | null;
  body: string;
  /** The company's own wording (else the built-in one). */
  custom: boolean;
}

export const listTemplates = async ({ db }: Ctx): Promise<TemplateOut[]> => {
  const own = await db.messageTemplate.findMany();
  const out: TemplateOut[] = [];
  for (const language of MESSAGE_LANGUAGES) {
    for (const [kind, channels] of Object.entries(CHANNELS_OF) as [MessageKind, readonly MessageChannel[]][]) {
      for (const channel of channels) {
        const custom = own.find((t) => t.kind === kind && t.channel === channel && t.language === language);
        const text = custom ? { subject: custom.subject, body: custom.body } : builtInText(kind, channel, language);
        out.push({ kind, channel, language, subject: text.subject ?? null, body: text.body, custom: Boolean(custom) });
      }
    }
  }
  return out;
};

export const setTemplate = async ({ db, companyId }: Ctx, input: SetTemplateInput): Promise<TemplateOut> => {
  checkTemplate(input.kind, input.channel, { subject: input.subject, body: input.body });
  const saved = await db.messageTemplate.upsert({
    where: { companyId_kind_channel_language: { companyId, kind: input.kind, channel: input.channel, language: input.language } },
    create: { companyId, kind: input.kind, channel: input.channel, language: input.language, subject: input.subject ?? null, body: input.body },
    update: { subject: input.subject ?? null, body: input.body },
  });
  return { kind: saved.kind, channel: saved.channel, language: saved.language as MessageLanguage, subject: saved.subject, body: saved.body, custom: true };
};

/** Back to the built-in wording. */
export const resetTemplate = async ({ db }: Ctx, key: { kind: MessageKind; channel: MessageChannel; language: MessageLanguage }) => {
  await db.messageTemplate.deleteMany({ where: key });
  const text = builtInText(key.kind, key.channel, key.language);
  return { ...key, subject: text.subject ?? null, body: text.body, custom: false } satisfies TemplateOut;
};

export const listMessages = async (ctx: Ctx, input: ListMessagesInput) => {
  const { timezone } = await companyProfileOf(ctx);
  const rows = await ctx.db.message.findMany({
    where: { ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}), ...(input.customerId ? { customerId: input.customerId } : {}) },
    orderBy: { createdAt: "desc" },
    take: input.limit,
  });
  const iso = (d: Date | null) => (d ? toZonedIso(d.getTime(), timezone) : null);
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    channel: m.channel,
    state: m.state,
    language: m.language,
    appointmentId: m.appointmentId,
    appointmentVersion: m.appointmentVersion,
    reminderOffsetMinutes: m.kind === "reminder" ? m.reminderOffsetMinutes : null,
    waitlistOfferId: m.waitlistOfferId,
    attempts: m.attempts,
    detail: m.detail,
    createdAt: iso(m.createdAt)!,
    sendAfter: iso(m.sendAfter)!,
    sentAt: iso(m.sentAt),
  }));
};
