/**
 * Customer messages: the `messaging` queue. Transport only; the domain is @askproai/db/messaging.
 * - `notification.send` (from the outbox relay: `{ companyId, appointmentId, kind, version?, correlationId? }`)
 *   plans the notice's messages and enqueues their delivery;
 * - `message.deliver` `{ companyId, messageId, correlationId? }` delivers one message at most once;
 *   RetryLater becomes a BullMQ retry with backoff (at least the delay the error asks for); the last
 *   attempt gives the message up explicitly (`failed`, or `unknown` when its last send was lost);
 * - `reminders.plan` (every minute) plans the reminders due now and enqueues them;
 * - `messages.sweep` (every 15 s) enqueues due messages whose job was lost, whose quiet hours are over,
 *   or whose worker died mid-send;
 * - `waitlist.sweep` (every 15 s, and at once after a cancellation or move) expires offers whose hold ran
 *   out, finishes interrupted confirmations, and offers freed slots to waiting customers.
 * Job ids are derived from the message (`deliver-<id>`): a message queued twice is one job.
 */
import { contextFor, type Db, type DomainDeps } from "@askproai/db";
import {
  DEFAULT_IN_FLIGHT_GRACE_MS, DELIVER_JOB, NOTIFICATION_JOB, RetryLater, deliverMessage, deliveryJobs, dueMessages, giveUpMessage, isNoticeKind,
  planAppointmentNotice, planDueReminders, type MessagingTransports,
} from "@askproai/db/messaging";
import { sweepWaitlist } from "@askproai/db/waitlist";
import { isDomainError } from "@askproai/shared";
import { UnrecoverableError, type Job, type Queue } from "bullmq";
import { z } from "zod";
import type { Processor } from "./maintenance.js";

export { DELIVER_JOB, MESSAGING_QUEUE, NOTIFICATION_JOB } from "@askproai/db/messaging";
export const PLAN_REMINDERS_JOB = "reminders.plan";
export const SWEEP_MESSAGES_JOB = "messages.sweep";
export const SWEEP_WAITLIST_JOB = "waitlist.sweep";

export interface MessagingSettings {
  transports: MessagingTransports;
  /** How long an attempt that never reported back may still be in flight (longer than the clients' timeouts). */
  inFlightGraceMs?: number;
  /** First retry delay of a delivery; doubles per attempt, at most 10 minutes. */
  retryBaseMs?: number;
  /** Delivery attempts before a message is given up (default 12: about 3 hours of a gateway outage at 5 s base). */
  attempts?: number;
  reminderScanEveryMs?: number;
  sweepEveryMs?: number;
  waitlistEveryMs?: number;
}

export interface MessagingProcessorDeps {
  db: Db;
  domain: DomainDeps;
  settings: MessagingSettings;
  queue: () => Queue;
  now: () => number;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/** BullMQ backoff of the messaging queue: exponential, but never sooner than a RetryLater asks. */
export const messagingBackoff = (baseMs: number) => (attemptsMade: number, _type?: string, error?: Error) => {
  const exponential = Math.min(baseMs * 2 ** Math.max(attemptsMade - 1, 0), MAX_BACKOFF_MS);
  return error instanceof RetryLater && error.retryAfterMs ? Math.max(exponential, Math.min(error.retryAfterMs, MAX_BACKOFF_MS)) : exponential;
};

const notificationData = z.object({
  companyId: z.uuid(),
  appointmentId: z.uuid(),
  kind: z.string(),
  version: z.number().int().positive().optional(),
  correlationId: z.string().optional(),
});
const deliverData = z.object({ companyId: z.uuid(), messageId: z.uuid(), correlationId: z.string().optional() });

const parse = <T extends z.ZodType>(schema: T, job: Job): z.infer<T> => {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`${job.name}: malformed job data (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})`);
  return parsed.data;
};

export const messagingProcessors = (deps: MessagingProcessorDeps): Record<string, Processor> => {
  const ctxFor = (companyId: string, correlationId: string | undefined, job: Job) =>
    contextFor(deps.domain, { companyId, correlationId: correlationId ?? String(job.id), actor: { type: "system" }, source: "api", now: deps.now });
  const enqueue = async (messages: { companyId: string; messageId: string; correlationId?: string }[]) => {
    if (messages.length > 0) await deps.queue().addBulk(deliveryJobs(messages));
    return messages.length;
  };

  return {
    [NOTIFICATION_JOB]: async (job) => {
      const data = parse(notificationData, job);
      if (!isNoticeKind(data.kind)) throw new UnrecoverableError(`${job.name}: unknown kind ${data.kind}`);
      const ctx = ctxFor(data.companyId, data.correlationId, job);
      try {
        const ids = await planAppointmentNotice(ctx, { appointmentId: data.appointmentId, kind: data.kind, version: data.version });
        // A cancellation or a move frees a slot: waiting customers hear of it now, not at the next sweep.
        if (data.kind !== "confirmation") {
          await deps.queue().add(SWEEP_WAITLIST_JOB, {}, { jobId: `waitlist-after-${data.appointmentId}-${data.version ?? "now"}`, removeOnComplete: true });
        }
        return { planned: await enqueue(ids.map((messageId) => ({ companyId: data.companyId, messageId, correlationId: ctx.correlationId }))) };
      } catch (error) {
        if (isDomainError(error) && error.code === "NOT_FOUND") return { planned: 0, detail: "appointment not found" };
        throw error;
      }
    },

    [DELIVER_JOB]: async (job) => {
      const data = parse(deliverData, job);
      const ctx = ctxFor(data.companyId, data.correlationId, job);
      try {
        return await deliverMessage(ctx, deps.settings.transports, data.messageId, { inFlightGraceMs: deps.settings.inFlightGraceMs ?? DEFAULT_IN_FLIGHT_GRACE_MS });
      } catch (error) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (error instanceof RetryLater && lastAttempt) {
          await giveUpMessage(ctx, data.messageId, `${job.attemptsMade + 1} attempts: ${error.message}`);
          return { state: "given_up", detail: error.message };
        }
        throw error;
      }
    },

    [PLAN_REMINDERS_JOB]: async () => ({ planned: await enqueue(await planDueReminders(deps.db, deps.now())) }),

    [SWEEP_WAITLIST_JOB]: async () => {
      const swept = await sweepWaitlist(deps.domain, deps.now());
      await enqueue(swept.messages);
      return { expiredOffers: swept.expiredOffers, offers: swept.offers, matchedBranches: swept.matchedBranches };
    },

    [SWEEP_MESSAGES_JOB]: async () => {
      // Idle for a while: a message that was just planned or retried has its job already.
      const idleMs = Math.max(2 * (deps.settings.sweepEveryMs ?? 15_000), 5_000);
      return { enqueued: await enqueue(await dueMessages(deps.db, deps.now(), { idleMs })) };
    },
  };
};
