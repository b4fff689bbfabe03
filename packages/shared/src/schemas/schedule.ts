import { z } from "zod";
import { idSchema, instantSchema } from "./common.js";

export const EXCEPTION_KINDS = ["time_off", "holiday", "closure", "extra_availability"] as const;

export const addExceptionInput = z
  .object({
    kind: z.enum(EXCEPTION_KINDS),
    /** Omitted = every branch of the company. */
    branchId: idSchema.optional(),
    /** Omitted = everyone at the branch (holiday, closure). */
    staffId: idSchema.optional(),
    start: instantSchema,
    end: instantSchema,
    reason: z.string().trim().max(300).optional(),
  })
  .refine((v) => Date.parse(v.end) > Date.parse(v.start), { message: "must be after start", path: ["end"] })
  .refine((v) => v.kind !== "extra_availability" || v.staffId, { message: "extra availability needs a staff member", path: ["staffId"] });
export type AddExceptionInput = z.infer<typeof addExceptionInput>;

export const removeExceptionInput = z.object({ id: idSchema });

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

export interface ExceptionOut {
  id: string;
  kind: (typeof EXCEPTION_KINDS)[number];
  branchId: string | null;
  staffId: string | null;
  start: string;
  end: string;
  reason: string | null;
}
