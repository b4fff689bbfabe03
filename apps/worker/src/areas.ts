/**
 * The worker's areas: one BullMQ queue each, with its processors (./processors/<area>.ts), retry policy
 * and repeatable schedules. A new area (webhooks, calendar, …) is one entry in `workerAreas` and one file
 * of processors; worker.ts starts whatever is listed here.
 */
import { createDomainDeps, type Db, type DomainDeps, type OperationLog } from "@askproai/db";
import { CalendarBreakers, type BreakerSettings } from "@askproai/db/calendar";
import { createSecretBox } from "@askproai/shared/server";
import type { DefaultJobOptions, Queue } from "bullmq";
import { CALENDAR_QUEUE, CALENDAR_RECONCILE_JOB, CALENDAR_SYNC_JOB, calendarBackoff, calendarProcessors } from "./processors/calendar.js";
import { MAINTENANCE_QUEUE, PRUNE_OUTBOX_JOB, PURGE_LOCKS_JOB, maintenanceProcessors, type Processor } from "./processors/maintenance.js";
import {
  MESSAGING_QUEUE, NOTIFICATION_JOB, PLAN_REMINDERS_JOB, SWEEP_MESSAGES_JOB, SWEEP_WAITLIST_JOB, messagingBackoff, messagingProcessors, type MessagingSettings,
} from "./processors/messaging.js";
import { SWEEP_WEBHOOKS_JOB, WEBHOOKS_QUEUE, webhookProcessors, type WebhookSettings } from "./processors/webhooks.js";

/** Everything an area's processors may use, built once per worker process. */
export interface AreaDeps {
  db: Db;
  domain: DomainDeps;
  now: () => number;
  /** The queue of any area by name (its own, or another's to hand work on). */
  queue: (name: string) => Queue;
  log: OperationLog;
}

export interface WorkerArea {
  queue: string;
  processors: Record<string, Processor>;
  jobOptions: DefaultJobOptions;
  concurrency: number;
  /**
   * Outbox topics this area consumes, each as the job name it becomes: the outbox relay dispatches a row
   * of such a topic to this area's queue (job id derived from the outbox row). Rows of a topic that no
   * area lists stay pending.
   */
  topics?: Record<string, string>;
  /** Repeatable jobs (re-registered on every start: BullMQ replaces a scheduler, never adds a second). */
  schedules: { job: string; everyMs: number }[];
  /** A custom backoff (the jobs' `backoff: { type: "custom" }`). */
  backoffStrategy?: (attemptsMade: number, type?: string, error?: Error) => number;
}

/** What `startWorker` may be told; every field has a production default. */
export interface AreaSettings {
  purgeEveryMs?: number;
  /** Dispatched outbox rows are kept this long (default 7 days: OUTBOX_RETENTION_DAYS), pruned this often (1 h). */
  outboxRetentionMs?: number;
  outboxPruneEveryMs?: number;
  /** Customer messages (gateways, retry policy, schedules); without gateways messages are recorded as skipped. */
  messaging?: MessagingSettings;
  /** Signed webhooks (Stripe API for billing, retention, the sweep); without it: no Stripe API, defaults. */
  webhooks?: WebhookSettings;
  /** Cal.com sync; without it the calendar queue refuses its jobs (they are kept as failed with the reason). */
  calendar?: CalendarAreaSettings;
}

export interface CalendarAreaSettings {
  apiUrl: string;
  /** SECRETS_KEY: opens the companies' sealed Cal.com API keys. */
  secretsKey: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  breaker?: BreakerSettings;
  retryBaseMs?: number;
  retryMaxMs?: number;
  attempts?: number;
  /** How often Cal.com is reconciled (default 5 minutes; 0 = not on a schedule) and how far ahead. */
  reconcileEveryMs?: number;
  reconcileHorizonDays?: number;
  inFlightGraceMs?: number;
}

export const workerAreas = (deps: AreaDeps, settings: AreaSettings): WorkerArea[] => {
  const messaging: MessagingSettings = settings.messaging ?? { transports: { sms: null, mail: null } };
  const calendar = settings.calendar;
  const runtime = calendar
    ? {
        apiUrl: calendar.apiUrl,
        secrets: createSecretBox(calendar.secretsKey),
        timeoutMs: calendar.timeoutMs,
        inFlightGraceMs: calendar.inFlightGraceMs,
        breakers: new CalendarBreakers(deps.db, deps.log, calendar.breaker),
      }
    : null;
  const webhooks: WebhookSettings = settings.webhooks ?? { stripe: null };
  return [
    {
      queue: MAINTENANCE_QUEUE,
      processors: maintenanceProcessors({ db: deps.db, outboxRetentionMs: settings.outboxRetentionMs ?? 7 * 86_400_000 }),
      jobOptions: { attempts: 3, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: 100, removeOnFail: 500 },
      concurrency: 4,
      schedules: [
        { job: PURGE_LOCKS_JOB, everyMs: settings.purgeEveryMs ?? 60_000 },
        { job: PRUNE_OUTBOX_JOB, everyMs: settings.outboxPruneEveryMs ?? 3_600_000 },
      ],
    },
    {
      queue: MESSAGING_QUEUE,
      processors: messagingProcessors({ db: deps.db, domain: deps.domain, settings: messaging, queue: () => deps.queue(MESSAGING_QUEUE), now: deps.now }),
      jobOptions: { attempts: messaging.attempts ?? 12, backoff: { type: "messaging" }, removeOnComplete: 1_000, removeOnFail: 5_000 },
      concurrency: 8,
      topics: { [NOTIFICATION_JOB]: NOTIFICATION_JOB },
      schedules: [
        { job: PLAN_REMINDERS_JOB, everyMs: messaging.reminderScanEveryMs ?? 60_000 },
        { job: SWEEP_MESSAGES_JOB, everyMs: messaging.sweepEveryMs ?? 15_000 },
        { job: SWEEP_WAITLIST_JOB, everyMs: messaging.waitlistEveryMs ?? 15_000 },
      ],
      backoffStrategy: messagingBackoff(messaging.retryBaseMs ?? 5_000),
    },
    {
      queue: CALENDAR_QUEUE,
      processors: calendarProcessors({
        db: deps.db, domain: deps.domain, runtime, now: deps.now, queue: () => deps.queue(CALENDAR_QUEUE),
        reconcile: { horizonDays: calendar?.reconcileHorizonDays },
      }),
      jobOptions: { attempts: calendar?.attempts ?? 20, backoff: { type: "calendar" }, removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 }, removeOnFail: 10_000 },
      // Each sync holds one database connection while it talks to Cal.com (the per-appointment lock).
      concurrency: 4,
      topics: { [CALENDAR_SYNC_JOB]: CALENDAR_SYNC_JOB },
      schedules: calendar?.reconcileEveryMs === 0 ? [] : [{ job: CALENDAR_RECONCILE_JOB, everyMs: calendar?.reconcileEveryMs ?? 5 * 60_000 }],
      backoffStrategy: calendarBackoff(calendar?.retryBaseMs ?? 2_000, calendar?.retryMaxMs ?? 5 * 60_000),
    },
    {
      queue: WEBHOOKS_QUEUE,
      processors: webhookProcessors({ db: deps.db, settings: webhooks, queue: () => deps.queue(WEBHOOKS_QUEUE) }),
      // A job that gave up is removed: the sweep queues its event again (up to a bound of attempts on the row).
      jobOptions: {
        attempts: webhooks.attempts ?? 8,
        backoff: { type: "exponential", delay: webhooks.retryBaseMs ?? 1_000 },
        removeOnComplete: { age: 3_600, count: 10_000 },
        removeOnFail: true,
      },
      concurrency: 8,
      schedules: [{ job: SWEEP_WEBHOOKS_JOB, everyMs: webhooks.sweepEveryMs ?? 10_000 }],
    },
  ];
};

export const defaultDomain = (db: Db, domain?: DomainDeps) => domain ?? createDomainDeps(db, null);
