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

export interface SlotOut {
  start: string;
  end: string;
  staffId: string;
}
export interface AvailabilityOut {
  timezone: string;
  slots: SlotOut[];
}

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
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface AppointmentOut {
  id: string;
  status: AppointmentStatus;
  start: string;
  end: string;
  staffId: string;
  serviceId: string;
  branchId: string;
  resourceId: string | null;
  customerId: string;
  version: number;
  correlationId: string;
}

export interface AppointmentListItem {
  id: string;
  start: string;
  end: string;
  status: AppointmentStatus;
  staffId: string;
  serviceId: string;
  version: number;
  customer: { name: string; phone: string };
}

export const customerSearchInput = z.object({
  query: z.string().trim().min(2, { message: "must be at least 2 characters" }).max(100),
  limit: z.number().int().min(1).max(50).default(10),
});
export const customerUpsertInput = customerInput.extend({ notes: z.string().max(2000).optional() });
export type CustomerUpsertInput = z.infer<typeof customerUpsertInput>;

export interface CustomerOut {
  id: string;
  name: string;
  phone: string;
  email: string | null;
}
