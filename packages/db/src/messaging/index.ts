/** Customer messages: confirmations, change and cancellation notices, reminders, waitlist offers. */
export { logOutsideCall } from "./call-log.js";
export { DEFAULT_IN_FLIGHT_GRACE_MS, RetryLater, deliverMessage, giveUpMessage, type DeliveryOptions, type DeliveryResult, type MessagingTransports } from "./deliver.js";
export { DELIVER_JOB, MESSAGING_QUEUE, NOTIFICATION_JOB, deliveryJobs, type DeliveryRef } from "./jobs.js";
export { loadMessageFacts, type MessageFacts } from "./facts.js";
export { MESSAGE_LANGUAGES, isMessageLanguage, localDateTime, type MessageLanguage } from "./local-time.js";
export { createMailer, type Mailer, type MailerOptions } from "./mailer.js";
export type { OutsideCall, SendOutcome } from "./outcome.js";
export { NOTICE_KINDS, isNoticeKind, planAppointmentNotice, planWaitlistMessage, type NoticeKind } from "./plan.js";
export { QUIET_FROM_MINUTE, QUIET_UNTIL_MINUTE, isQuietTime, outsideQuietHours } from "./quiet-hours.js";
export { redactEmail, redactPhone, redactText } from "../ops/redact.js";
export { DEFAULT_REMINDER_OFFSETS_MINUTES, dueReminder, nominalReminderAt, reminderSendAt } from "./reminder-times.js";
export { planDueReminders, type PlannedReminder } from "./reminders.js";
export { getMessagingSettings, listMessages, listTemplates, resetTemplate, setTemplate, updateMessagingSettings, type TemplateOut } from "./settings.js";
export { createSmsGateway, sha256, type SmsGateway, type SmsGatewayOptions } from "./sms-gateway.js";
export { dueMessages, type DueMessage } from "./sweep.js";
export { CHANNELS_OF, TEMPLATE_VARIABLES, builtInText, checkTemplate, renderMessage } from "./templates.js";
export { createMessagingTransports } from "./transports.js";
