import { z } from "zod";
import { customerInput } from "./booking.js";
import { idSchema, localDateSchema } from "./common.js";

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM" });

/** waitlist.join (desk) and the voice agent's join_waitlist: who waits for what, where, and when it would suit them. */
export const joinWaitlistInput = z
  .object({
    branchId: idSchema,
    serviceId: idSchema,
    /** Only this staff member; omitted = anyone who offers the service. */
    staffId: idSchema.optional(),
    customer: customerInput,
    /** Local dates in the branch's zone, inclusive (at most 90 days). */
    fromDate: localDateSchema,
    toDate: localDateSchema,
    /** Local times of day a start may fall in, inclusive; default the whole day. */
    earliestTime: timeOfDay.optional(),
    latestTime: timeOfDay.optional(),
    notes: z.string().max(500).optional(),
  })
  .refine((v) => v.toDate >= v.fromDate, { message: "must not be before fromDate", path: ["toDate"] })
  .refine((v) => Date.parse(`${v.toDate}T00:00:00Z`) - Date.parse(`${v.fromDate}T00:00:00Z`) <= 89 * 86_400_000, {
    message: "a window may span at most 90 days",
    path: ["toDate"],
  })
  .refine((v) => !v.earliestTime || !v.latestTime || v.earliestTime <= v.latestTime, { message: "must not be before earliestTime", path: ["latestTime"] });
export type JoinWaitlistInput = z.infer<typeof joinWaitlistInput>;

export const WAITLIST_ENTRY_STATES = ["waiting", "booked", "cancelled", "expired"] as const;
export const WAITLIST_OFFER_STATES = ["offered", "confirming", "accepted", "declined", "expired", "withdrawn"] as const;

export const listWaitlistInput = z.object({
  branchId: idSchema.optional(),
  /** Default: waiting. */
  state: z.enum(WAITLIST_ENTRY_STATES).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type ListWaitlistInput = z.infer<typeof listWaitlistInput>;

export const waitlistOfferOut = z.object({
  id: z.string(),
  state: z.enum(WAITLIST_OFFER_STATES),
  start: z.string(),
  staffId: z.string(),
  expiresAt: z.string(),
});

export const waitlistEntryOut = z.object({
  id: z.string(),
  state: z.enum(WAITLIST_ENTRY_STATES),
  branchId: z.string(),
  serviceId: z.string(),
  staffId: z.string().nullable(),
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string() }),
  fromDate: z.string(),
  toDate: z.string(),
  earliestTime: z.string(),
  latestTime: z.string(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  appointmentId: z.string().nullable(),
  /** The offer out now, if any. */
  offer: waitlistOfferOut.nullable(),
});
export type WaitlistEntryOut = z.infer<typeof waitlistEntryOut>;

export const waitlistEntryIdInput = z.object({ id: idSchema });
