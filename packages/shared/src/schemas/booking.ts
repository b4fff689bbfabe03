import { z } from "zod";
import { idSchema, instantSchema, localDateSchema, phoneSchema } from "./common.js";

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
  phone: phoneSchema,
  name: z.string().trim().min(1, { message: "is required" }).max(200),
  email: z.email({ message: "must be an email address" }).optional(),
});

export const createAppointmentInput = z.object({
  branchId: idSchema,
  serviceId: idSchema,
  staffId: idSchema.optional(),
  start: instantSchema,
  customer: customerInput,
  idempotencyKey: z.string().trim().min(8, { message: "must be at least 8 characters" }).max(200),
  notes: z.string().max(2000).optional(),
});
export type CreateAppointmentInput = z.infer<typeof createAppointmentInput>;

export const cancelAppointmentInput = z.object({ id: idSchema, reason: z.string().max(500).optional() });
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
  .object({ branchId: idSchema, from: instantSchema, to: instantSchema })
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { message: "must be after from", path: ["to"] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 93 * 86_400_000, { message: "range must be at most 93 days", path: ["to"] });
export type ListAppointmentsInput = z.infer<typeof listAppointmentsInput>;

export const APPOINTMENT_STATUSES = ["pending", "confirmed", "completed", "no_show", "cancelled", "failed"] as const;
export const appointmentStatusSchema = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof appointmentStatusSchema>;

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

export const appointmentListItem = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string(),
  status: appointmentStatusSchema,
  staffId: z.string(),
  serviceId: z.string(),
  version: z.number().int(),
  customer: z.object({ name: z.string(), phone: z.string() }),
});
export type AppointmentListItem = z.infer<typeof appointmentListItem>;

export const customerSearchInput = z.object({
  query: z.string().trim().min(2, { message: "must be at least 2 characters" }).max(100),
  limit: z.number().int().min(1).max(50).default(10),
});
export const customerUpsertInput = customerInput.extend({ notes: z.string().max(2000).optional() });
export type CustomerUpsertInput = z.infer<typeof customerUpsertInput>;

export const customerOut = z.object({ id: z.string(), name: z.string(), phone: z.string(), email: z.string().nullable() });
export type CustomerOut = z.infer<typeof customerOut>;
