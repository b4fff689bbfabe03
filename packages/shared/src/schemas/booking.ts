import { z } from "zod";
import { idSchema, instantSchema, localDateSchema, phoneInputSchema } from "./common.js";
import { text } from "./text.js";

export const APPOINTMENT_STATUSES = ["pending", "confirmed", "completed", "no_show", "cancelled", "failed"] as const;
export const appointmentStatusSchema = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;
/** The statuses a list can show (failed attempts are only in the debug views). */
export const listableStatusSchema = z.enum(["pending", "confirmed", "completed", "no_show", "cancelled"], {
  message: "must be one of pending, confirmed, completed, no_show, cancelled",
});

/** Where a booking came from: the desk app, the voice agent, Cal.com, a script over the API, or a waitlist offer the customer confirmed. */
export const APPOINTMENT_SOURCES = ["desktop", "voice", "calcom", "api", "waitlist"] as const;
export const appointmentSourceSchema = z.enum(APPOINTMENT_SOURCES);
export const CALENDAR_SYNC_STATUSES = ["not_required", "pending", "synced", "failed"] as const;
export const calendarSyncStatusSchema = z.enum(CALENDAR_SYNC_STATUSES);

export const availabilityQuery = z.object({
  branchId: idSchema,
  serviceId: idSchema,
  staffId: idSchema.optional(),
  from: localDateSchema,
  days: z.number({ message: "must be a number" }).int().min(1, { message: "must be 1–31" }).max(31, { message: "must be 1–31" }),
});
export type AvailabilityQuery = z.infer<typeof availabilityQuery>;

export const slotOut = z.object({ start: z.string(), end: z.string(), staffId: z.string() });
export type SlotOut = z.infer<typeof slotOut>;
export const availabilityOut = z.object({ timezone: z.string(), slots: z.array(slotOut) });
export type AvailabilityOut = z.infer<typeof availabilityOut>;

export const customerInput = z.object({
  /** As people type it; parsed in the company's country and stored as E.164. */
  phone: phoneInputSchema,
  name: text({ min: 1, max: 200, name: true }),
  email: text({ max: 254 }).pipe(z.email({ message: "must be an email address" })).optional(),
});

export const createAppointmentInput = z.object({
  branchId: idSchema,
  serviceId: idSchema,
  staffId: idSchema.optional(),
  start: instantSchema,
  customer: customerInput,
  idempotencyKey: text({ min: 8, max: 200 }),
  notes: text({ max: 2000, multiline: true }).optional(),
});
export type CreateAppointmentInput = z.infer<typeof createAppointmentInput>;

export const cancelAppointmentInput = z.object({ id: idSchema, reason: text({ max: 500, multiline: true }).optional() });
export type CancelAppointmentInput = z.infer<typeof cancelAppointmentInput>;

export const rescheduleAppointmentInput = z.object({
  id: idSchema,
  start: instantSchema,
  staffId: idSchema.optional(),
  expectedVersion: z.number().int().min(1),
});
export type RescheduleAppointmentInput = z.infer<typeof rescheduleAppointmentInput>;

export const appointmentIdInput = z.object({ id: idSchema, expectedVersion: z.number().int().min(1).optional() });
export type AppointmentIdInput = z.infer<typeof appointmentIdInput>;

export const listAppointmentsInput = z
  .object({
    branchId: idSchema,
    from: instantSchema,
    to: instantSchema,
    /** Only appointments in this status (or these statuses); omitted = every status. */
    status: z.union([listableStatusSchema, z.array(listableStatusSchema).min(1).max(5)]).optional(),
    staffId: idSchema.optional(),
  })
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { message: "must be after from", path: ["to"] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 93 * 86_400_000, { message: "range must be at most 93 days", path: ["to"] });
export type ListAppointmentsInput = z.infer<typeof listAppointmentsInput>;

export const appointmentOut = z.object({
  id: z.string(),
  status: appointmentStatusSchema,
  start: z.string(),
  end: z.string(),
  staffId: z.string(),
  serviceId: z.string(),
  branchId: z.string(),
  resourceId: z.string().nullable(),
  customerId: z.string(),
  version: z.number().int(),
  correlationId: z.string(),
});
export type AppointmentOut = z.infer<typeof appointmentOut>;

/** appointments.create: `replayed` is true when the answer is the original of a repeated idempotency key. */
export const createAppointmentOut = appointmentOut.extend({ replayed: z.boolean() });
export type CreateAppointmentOut = z.infer<typeof createAppointmentOut>;

/** An appointment as a person reads it: names beside the ids, notes, origin and calendar sync state. */
export const appointmentListItem = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string(),
  status: appointmentStatusSchema,
  branchId: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  resourceId: z.string().nullable(),
  resourceName: z.string().nullable(),
  version: z.number().int(),
  /** The booking's own notes. */
  notes: z.string().nullable(),
  source: appointmentSourceSchema,
  calendarSync: z.object({ status: calendarSyncStatusSchema, syncedAt: z.string().nullable(), error: z.string().nullable() }),
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string(), notes: z.string().nullable() }),
});
export type AppointmentListItem = z.infer<typeof appointmentListItem>;

/** appointments.get: the list item plus what a detail view shows. */
export const appointmentDetail = appointmentListItem.extend({
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string(), email: z.string().nullable(), notes: z.string().nullable() }),
  priceMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  correlationId: z.string(),
});
export type AppointmentDetail = z.infer<typeof appointmentDetail>;

export const customerSearchInput = z.object({
  query: text({ min: 2, max: 100, name: true }),
  limit: z.number().int().min(1).max(50).default(10),
});
export const customerUpsertInput = customerInput.extend({ notes: text({ max: 2000, multiline: true }).optional() });
export type CustomerUpsertInput = z.infer<typeof customerUpsertInput>;

export const customerOut = z.object({ id: z.string(), name: z.string(), phone: z.string(), email: z.string().nullable(), notes: z.string().nullable() });
export type CustomerOut = z.infer<typeof customerOut>;

/** customers.get: the customer card (the phone call "when is my appointment?"). */
export const customerDetail = customerOut.extend({
  createdAt: z.string(),
  /** Appointments marked no-show, ever. */
  noShowCount: z.number().int(),
  /** The company's no-show limit (null = none); at or above it the voice agent asks the desk to confirm instead of booking. */
  noShowLimit: z.number().int().nullable(),
  requiresDeskConfirmation: z.boolean(),
  /** Start of the latest past appointment that was not cancelled or a no-show; null when none. */
  lastVisitAt: z.string().nullable(),
  /** Pending or confirmed appointments that have not started yet, soonest first (at most 20). */
  upcoming: z.array(appointmentListItem),
  /** Appointments that have started, and cancelled ones, latest start first (at most 20). */
  recent: z.array(appointmentListItem),
});
export type CustomerDetail = z.infer<typeof customerDetail>;
