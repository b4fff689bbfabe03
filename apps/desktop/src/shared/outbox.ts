/**
 * The durable outbox: changes staff made that the API has not confirmed yet. Pure (no Electron, no
 * DOM): main stores entries in a file, the browser fallback in localStorage, the renderer replays them.
 * The operation inputs are the API's own schemas, so a stored entry is exactly what will be sent.
 */
import { appointmentIdInput, cancelAppointmentInput, createAppointmentInput, rescheduleAppointmentInput, slotAlternative } from "@askproai/shared";
import { z } from "zod";

export const outboxOperation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("create"), input: createAppointmentInput }),
  z.object({ kind: z.literal("reschedule"), input: rescheduleAppointmentInput }),
  z.object({ kind: z.literal("cancel"), input: cancelAppointmentInput }),
  z.object({ kind: z.literal("markNoShow"), input: appointmentIdInput }),
  z.object({ kind: z.literal("complete"), input: appointmentIdInput }),
]);
export type OutboxOperation = z.infer<typeof outboxOperation>;
export type OutboxKind = OutboxOperation["kind"];

/** What the calendar shows for an entry while it waits (names the API would otherwise add). */
export const outboxSummary = z.object({
  branchId: z.string().max(100),
  staffId: z.string().max(100),
  staffName: z.string().max(200),
  serviceId: z.string().max(100),
  serviceName: z.string().max(200),
  customerName: z.string().max(200),
  start: z.string().max(40),
  end: z.string().max(40),
});
export type OutboxSummary = z.infer<typeof outboxSummary>;

export const OUTBOX_STATES = ["pending", "sending", "conflict", "failed"] as const;
export const outboxState = z.enum(OUTBOX_STATES);
export type OutboxState = z.infer<typeof outboxState>;

export const outboxProblem = z.object({
  code: z.string().max(40).nullable(),
  message: z.string().max(2000),
  reason: z.string().max(40).nullable(),
  alternatives: z.array(slotAlternative).max(10),
});
export type OutboxProblem = z.infer<typeof outboxProblem>;

export const outboxEntry = z.object({
  id: z.uuid(),
  createdAt: z.string().max(40),
  operation: outboxOperation,
  summary: outboxSummary,
  state: outboxState,
  attempts: z.number().int().min(0).max(1_000_000),
  problem: outboxProblem.nullable(),
});
export type OutboxEntry = z.infer<typeof outboxEntry>;

/** What the renderer hands over to be stored: the store assigns nothing but keeps it verbatim. */
export const newOutboxEntry = outboxEntry.pick({ id: true, createdAt: true, operation: true, summary: true });
export type NewOutboxEntry = z.infer<typeof newOutboxEntry>;

export const outboxUpdate = z.object({
  id: z.uuid(),
  state: outboxState,
  attempts: z.number().int().min(0).max(1_000_000),
  problem: outboxProblem.nullable(),
});
export type OutboxUpdate = z.infer<typeof outboxUpdate>;

export const outboxId = z.object({ id: z.uuid() });

/** More than a day's work offline is not expected; the bound keeps a runaway loop from filling the disk. */
export const OUTBOX_LIMIT = 1_000;

/** Applies an update to a list of entries (both stores use this, so they behave the same). */
export const applyOutboxUpdate = (entries: OutboxEntry[], update: OutboxUpdate): OutboxEntry[] =>
  entries.map((e) => (e.id === update.id ? { ...e, state: update.state, attempts: update.attempts, problem: update.problem } : e));

/**
 * Entries read back after a restart: one that was being sent when the app stopped is pending again
 * (its idempotency key, or the server's idempotent status changes, make sending it twice safe).
 */
export const recoverOutbox = (entries: OutboxEntry[]): OutboxEntry[] =>
  entries.map((e) => (e.state === "sending" ? { ...e, state: "pending" as const } : e));

/** Parses stored entries; ones that no longer parse are returned apart, so nothing is dropped silently. */
export const parseStoredOutbox = (raw: unknown): { entries: OutboxEntry[]; unreadable: unknown[] } => {
  const list = Array.isArray(raw) ? raw : [];
  const entries: OutboxEntry[] = [];
  const unreadable: unknown[] = Array.isArray(raw) ? [] : [raw];
  for (const item of list) {
    const parsed = outboxEntry.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
    else unreadable.push(item);
  }
  return { entries: recoverOutbox(entries), unreadable };
};
