import { z } from "zod";
import { EXCEPTION_KINDS } from "../availability/types.js";
import { appointmentListItem } from "./booking.js";
import { idSchema, instantSchema } from "./common.js";
import { text } from "./text.js";

export const exceptionKindSchema = z.enum(EXCEPTION_KINDS);

export const addExceptionInput = z
  .object({
    kind: exceptionKindSchema,
    /** Omitted = every branch of the company. */
    branchId: idSchema.optional(),
    /** Omitted = everyone at the branch (holiday, closure); required for sick, time_off, extra_availability. */
    staffId: idSchema.optional(),
    start: instantSchema,
    end: instantSchema,
    reason: text({ max: 300, multiline: true }).optional(),
  })
  .refine((v) => Date.parse(v.end) > Date.parse(v.start), { message: "must be after start", path: ["end"] })
  .refine((v) => v.kind !== "extra_availability" || v.staffId, { message: "extra availability needs a staff member", path: ["staffId"] })
  // Without a staff member, time off would take everyone's working time at every branch: a closure.
  .refine((v) => (v.kind !== "sick" && v.kind !== "time_off") || v.staffId, { message: "sick days and time off are a staff member's (for everyone: holiday or closure)", path: ["staffId"] });
export type AddExceptionInput = z.infer<typeof addExceptionInput>;

export const removeExceptionInput = z.object({ id: idSchema });

export const listExceptionsInput = z
  .object({ from: instantSchema, to: instantSchema, branchId: idSchema.optional() })
  .refine((v) => Date.parse(v.to) > Date.parse(v.from), { message: "must be after from", path: ["to"] });
export type ListExceptionsInput = z.infer<typeof listExceptionsInput>;

/** schedule.weeklyRules: a branch's weekly working hours, of everyone there or of one staff member. */
export const weeklyRulesInput = z.object({ branchId: idSchema, staffId: idSchema.optional() });
export type WeeklyRulesInput = z.infer<typeof weeklyRulesInput>;

const minuteOfDay = z.number().int().min(0).max(1440);
export const setWeeklyRulesInput = z.object({
  branchId: idSchema,
  staffId: idSchema,
  /** The complete new week of this staff member at this branch (replaces the old one). */
  rules: z
    .array(
      z
        .object({ weekday: z.number().int().min(1).max(7), startMinute: minuteOfDay, endMinute: minuteOfDay })
        .refine((r) => r.endMinute > r.startMinute, { message: "endMinute must be after startMinute", path: ["endMinute"] }),
    )
    .max(50),
});
export type SetWeeklyRulesInput = z.infer<typeof setWeeklyRulesInput>;

export const exceptionOut = z.object({
  id: z.string(),
  kind: exceptionKindSchema,
  branchId: z.string().nullable(),
  staffId: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  reason: z.string().nullable(),
});
export type ExceptionOut = z.infer<typeof exceptionOut>;

/** What `addException` answers: the exception, and the active appointments inside it (left as they are). */
export const addExceptionOut = exceptionOut.extend({ affectedAppointments: z.array(appointmentListItem) });
export type AddExceptionOut = z.infer<typeof addExceptionOut>;

export const weeklyRuleOut = z.object({
  weekday: z.number().int(),
  startMinute: z.number().int(),
  endMinute: z.number().int(),
  /** Local dates (YYYY-MM-DD), inclusive; null = unbounded. */
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
});
export const weeklyRulesOut = z.object({
  branchId: z.string(),
  /** The zone the rules' local minutes are read in. */
  timezone: z.string(),
  staff: z.array(z.object({ staffId: z.string(), staffName: z.string(), rules: z.array(weeklyRuleOut) })),
});
export type WeeklyRulesOut = z.infer<typeof weeklyRulesOut>;
