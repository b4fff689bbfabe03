/**
 * Cal.com API v2 (2024-08-13) inputs as the stand-in validates them. Rules follow Cal.com's DTOs
 * (`CreateBookingInput_2024_08_13`, `GetBookingsInput_2024_08_13`) as far as the integration notes describe
 * them; where the stand-in is stricter (a UTC `start`), it says so, because the contract promises that.
 */
import { z } from "zod";

const E164 = /^\+[1-9]\d{6,14}$/;

const isIanaZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
};

const instant = (what: string) =>
  z.string({ error: `${what} must be an ISO-8601 date string` }).refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: `${what} must be an ISO-8601 date string`,
  });

const utcStart = instant("start").refine((s) => s.endsWith("Z"), {
  message: "start must be in UTC (ISO-8601 ending in Z), as Cal.com expects",
});

export const attendeeSchema = z
  .object({
    name: z.string({ error: "attendee.name is required" }).min(1, "attendee.name must not be empty"),
    timeZone: z.string({ error: "attendee.timeZone is required" }).refine(isIanaZone, "attendee.timeZone must be an IANA time zone"),
    email: z.email("attendee.email must be an email").optional(),
    phoneNumber: z.string().regex(E164, "attendee.phoneNumber must be in international format (E.164)").optional(),
    language: z.string().regex(/^[a-z]{2}(-[A-Za-z0-9]{2,3})?$/, "attendee.language must be a supported locale").optional(),
  })
  .refine((a) => a.email !== undefined || a.phoneNumber !== undefined, {
    message: "Attendee email or phone number properties wrong: either email or phoneNumber is required",
  });

export const metadataSchema = z
  .record(z.string(), z.union([z.string().max(500, "metadata values must be at most 500 characters"), z.number(), z.boolean()]))
  .refine((m) => Object.keys(m).every((key) => key.length <= 40), "metadata keys must be at most 40 characters")
  .refine((m) => Object.keys(m).length <= 50, "metadata may have at most 50 keys");

export const createBookingSchema = z.object({
  start: utcStart,
  eventTypeId: z.number({ error: "eventTypeId must be a number (eventTypeSlug is not supported by the stand-in)" }).int().positive(),
  attendee: attendeeSchema,
  metadata: metadataSchema.optional(),
  lengthInMinutes: z.number().int().positive().optional(),
  guests: z.array(z.email()).optional(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).optional(),
});
export type CreateBookingInput = z.infer<typeof createBookingSchema>;

export const cancelBookingSchema = z.object({
  cancellationReason: z.string().max(2000).optional(),
  cancelSubsequentBookings: z.boolean().optional(),
});

export const rescheduleBookingSchema = z.object({
  start: utcStart,
  reschedulingReason: z.string().max(2000).optional(),
  rescheduledBy: z.email().optional(),
});

const commaList = z
  .string()
  .transform((s) => s.split(",").map((p) => p.trim()).filter(Boolean));

const sortOrder = z.enum(["asc", "desc"]);

export const listBookingsSchema = z.object({
  status: commaList.pipe(z.array(z.enum(["upcoming", "recurring", "past", "cancelled", "unconfirmed"]))).optional(),
  attendeeEmail: z.string().optional(),
  attendeeName: z.string().optional(),
  eventTypeId: z.coerce.number().int().positive().optional(),
  eventTypeIds: commaList.pipe(z.array(z.string().regex(/^\d+$/, "eventTypeIds must be numbers").transform(Number))).optional(),
  afterStart: instant("afterStart").optional(),
  beforeEnd: instant("beforeEnd").optional(),
  afterCreatedAt: instant("afterCreatedAt").optional(),
  beforeCreatedAt: instant("beforeCreatedAt").optional(),
  afterUpdatedAt: instant("afterUpdatedAt").optional(),
  beforeUpdatedAt: instant("beforeUpdatedAt").optional(),
  sortStart: sortOrder.optional(),
  sortEnd: sortOrder.optional(),
  sortCreated: sortOrder.optional(),
  take: z.coerce.number().int().min(1).max(250).default(100),
  skip: z.coerce.number().int().min(0).default(0),
});
export type ListBookingsQuery = z.infer<typeof listBookingsSchema>;

/** Cal.com's validation answers name the fields; one line per problem. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => (issue.path.length && !issue.message.includes(String(issue.path.at(-1))) ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
