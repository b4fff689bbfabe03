import { z } from "zod";
import { idSchema } from "./common.js";

export const MESSAGE_KINDS = ["confirmation", "rescheduled", "cancellation", "reminder", "waitlist_offer", "waitlist_gone"] as const;
export const MESSAGE_CHANNELS = ["sms", "email"] as const;
export const MESSAGE_STATES = ["pending", "sending", "sent", "failed", "skipped", "unknown"] as const;
export const messageLanguageSchema = z.enum(["de", "en"], { message: "must be de or en" });

/** messaging.updateSettings (owners and admins): every field optional, the rest stays. */
export const messagingSettingsInput = z.object({
  /** Minutes before the start, at most 4, each 15 minutes to 14 days; whole days count in local calendar days. */
  reminderOffsetsMinutes: z
    .array(z.number().int().min(15, { message: "must be at least 15 minutes" }).max(20_160, { message: "must be at most 14 days" }))
    .max(4, { message: "at most 4 reminders" })
    .refine((v) => new Set(v).size === v.length, { message: "must not repeat an offset" })
    .optional(),
  language: messageLanguageSchema.optional(),
  waitlistHoldMinutes: z.number().int().min(1).max(120).optional(),
  /** After this many no-shows the voice agent asks the desk to confirm instead of booking; null = never. */
  noShowLimit: z.number().int().min(1).max(50).nullable().optional(),
});
export type MessagingSettingsInput = z.infer<typeof messagingSettingsInput>;

export const messagingSettingsOut = z.object({
  reminderOffsetsMinutes: z.array(z.number()),
  language: messageLanguageSchema,
  waitlistHoldMinutes: z.number(),
  noShowLimit: z.number().nullable(),
});
export type MessagingSettingsOut = z.infer<typeof messagingSettingsOut>;

export const templateKeyInput = z.object({ kind: z.enum(MESSAGE_KINDS), channel: z.enum(MESSAGE_CHANNELS), language: messageLanguageSchema });
export const setTemplateInput = templateKeyInput.extend({
  subject: z.string().trim().min(1).max(200).optional(),
  body: z.string().trim().min(1, { message: "is required" }).max(4000),
});
export type SetTemplateInput = z.infer<typeof setTemplateInput>;

/** messaging.list: the messages of one appointment or customer, newest first (never their text). */
export const listMessagesInput = z
  .object({ appointmentId: idSchema.optional(), customerId: idSchema.optional(), limit: z.number().int().min(1).max(200).default(50) })
  .refine((v) => v.appointmentId || v.customerId, { message: "give appointmentId or customerId", path: ["appointmentId"] });
export type ListMessagesInput = z.infer<typeof listMessagesInput>;
