/**
 * Inputs of company set-up (owners and admins): the company's profile and booking policy, branches,
 * staff, services, skills, rooms and hotline numbers. Phone numbers are accepted as people type them
 * and read in the company's country by the domain (like customers' numbers).
 */
import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import { BUSINESS_MODELS } from "../business-models/types.js";
import { idSchema, phoneInputSchema } from "./common.js";
import { text } from "./text.js";

/** A name people read: one line, at least one visible character, bounded (the shared text() check). */
export const nameText = (max = 120) => text({ min: 1, max, name: true });
/** Optional free text; null clears it. */
const optionalText = (max: number, multiline = false) => text({ max, multiline }).nullable().optional();

const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
};
export const timezoneSchema = text({ max: 64 }).refine(isZone, { message: "must be an IANA time zone like Europe/Berlin" });
export const countrySchema = text({ max: 2 })
  .transform((c) => c.toUpperCase())
  .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), { message: "must be an ISO 3166 country code like DE" });

/** What to do with a row's appointments that are still ahead when it is deactivated or moved away. */
export const FUTURE_APPOINTMENT_CHOICES = ["refuse", "keep", "cancel"] as const;
export const futureAppointmentsSchema = z.enum(FUTURE_APPOINTMENT_CHOICES).default("refuse");
export type FutureAppointmentsChoice = (typeof FUTURE_APPOINTMENT_CHOICES)[number];

export const deactivateInput = z.object({ id: idSchema, futureAppointments: futureAppointmentsSchema });
export type DeactivateInput = z.infer<typeof deactivateInput>;
export const includeInactiveInput = z.object({ includeInactive: z.boolean().default(false) }).optional();

// ---- company -------------------------------------------------------------------------------------

export const updateCompanyInput = z.object({
  name: nameText().optional(),
  timezone: timezoneSchema.optional(),
  country: countrySchema.optional(),
  businessModel: z.enum(BUSINESS_MODELS).optional(),
  /** Booking policy: minutes of notice, days of horizon, minutes between offered starts. */
  minNoticeMinutes: z.number().int().min(0).max(43_200).optional(),
  horizonDays: z.number().int().min(1).max(730).optional(),
  slotStepMinutes: z.number().int().min(5).max(240).optional(),
});
export type UpdateCompanyInput = z.infer<typeof updateCompanyInput>;

// ---- branches ------------------------------------------------------------------------------------

/** E.164 prefixes of callers a branch is nearest to ("+4930" for Berlin). */
export const areaCodeSchema = text({ max: 8 }).regex(/^\+[1-9]\d{0,6}$/, { message: "must be an E.164 prefix like +4930" });

const branchFields = {
  name: nameText(),
  /** Default: the company's zone. */
  timezone: timezoneSchema.optional(),
  phoneNumber: phoneInputSchema.nullable().optional(),
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(120),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  areaCodes: z.array(areaCodeSchema).max(50).optional(),
};
export const createBranchInput = z.object(branchFields);
export type CreateBranchInput = z.infer<typeof createBranchInput>;
export const updateBranchInput = z.object({ id: idSchema, ...z.object(branchFields).partial().shape });
export type UpdateBranchInput = z.infer<typeof updateBranchInput>;

// ---- staff ---------------------------------------------------------------------------------------

export const emailSchema = text({ max: 254 })
  .transform((v) => v.toLowerCase())
  .pipe(z.email({ message: "must be an email address" }));

export const createStaffInput = z.object({
  name: nameText(),
  email: emailSchema.nullable().optional(),
  /** Where they work (their weekly hours are set per branch: schedule.setWeeklyRules). */
  branchIds: z.array(idSchema).max(50).default([]),
});
export type CreateStaffInput = z.infer<typeof createStaffInput>;
export const updateStaffInput = z.object({
  id: idSchema,
  name: nameText().optional(),
  email: emailSchema.nullable().optional(),
  /** The complete new set of branches; leaving one with appointments ahead needs `futureAppointments`. */
  branchIds: z.array(idSchema).max(50).optional(),
  futureAppointments: futureAppointmentsSchema,
});
export type UpdateStaffInput = z.infer<typeof updateStaffInput>;

// ---- skills --------------------------------------------------------------------------------------

export const skillLevelSchema = z.number().int().min(1).max(10);
export const setSkillsInput = z.object({
  staffId: idSchema,
  /** The complete new set: which services they do, at which level, where (null/omitted = every branch of theirs). */
  skills: z
    .array(z.object({ serviceId: idSchema, level: skillLevelSchema.default(1), branchId: idSchema.nullable().optional() }))
    .max(500)
    .refine((skills) => new Set(skills.map((s) => `${s.serviceId}:${s.branchId ?? ""}`)).size === skills.length, {
      message: "names a service (and branch) twice",
    }),
});
export type SetSkillsInput = z.infer<typeof setSkillsInput>;
export const listSkillsInput = z.object({ staffId: idSchema.optional() }).optional();

// ---- services ------------------------------------------------------------------------------------

const minutes = (max: number) => z.number().int().min(0).max(max);
const serviceFields = {
  name: nameText(),
  description: optionalText(1000, true),
  durationMinutes: z.number().int().min(5).max(720),
  bufferBeforeMinutes: minutes(240),
  bufferAfterMinutes: minutes(240),
  /** Minor units (cents) of `currency`. */
  priceMinor: z.number().int().min(0).max(10_000_000),
  currency: text({ max: 3 })
    .transform((c) => c.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, { message: "must be an ISO 4217 code like EUR" })),
  /** complex_service_matrix: the minimum skill level, and the kind of room the appointment needs. */
  requiredSkillLevel: skillLevelSchema.nullable().optional(),
  requiredResourceKind: nameText(60).nullable().optional(),
};
export const createServiceInput = z.object({
  ...serviceFields,
  bufferBeforeMinutes: serviceFields.bufferBeforeMinutes.default(0),
  bufferAfterMinutes: serviceFields.bufferAfterMinutes.default(0),
  currency: serviceFields.currency.default("EUR"),
});
export type CreateServiceInput = z.infer<typeof createServiceInput>;
export const updateServiceInput = z.object({ id: idSchema, ...z.object(serviceFields).partial().shape });
export type UpdateServiceInput = z.infer<typeof updateServiceInput>;

// ---- resources (rooms) ---------------------------------------------------------------------------

export const createResourceInput = z.object({ branchId: idSchema, kind: nameText(60), name: nameText() });
export type CreateResourceInput = z.infer<typeof createResourceInput>;
export const updateResourceInput = z.object({ id: idSchema, kind: nameText(60).optional(), name: nameText().optional() });
export type UpdateResourceInput = z.infer<typeof updateResourceInput>;

// ---- hotline numbers -----------------------------------------------------------------------------

const hotlineRoutes = z
  .array(z.object({ branchId: idSchema, priority: z.number().int().min(0).max(1000).default(0) }))
  .max(50)
  .refine((routes) => new Set(routes.map((r) => r.branchId)).size === routes.length, { message: "names a branch twice" });
export const createHotlineInput = z.object({ name: nameText(), phoneNumber: phoneInputSchema, routes: hotlineRoutes.default([]) });
export type CreateHotlineInput = z.infer<typeof createHotlineInput>;
export const updateHotlineInput = z.object({
  id: idSchema,
  name: nameText().optional(),
  phoneNumber: phoneInputSchema.optional(),
  /** The complete new set of routes. */
  routes: hotlineRoutes.optional(),
});
export type UpdateHotlineInput = z.infer<typeof updateHotlineInput>;

// ---- audit ---------------------------------------------------------------------------------------

export const auditLogInput = z
  .object({
    limit: z.number().int().min(1).max(200).default(50),
    /** Page backwards: entries before this instant. */
    before: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant with offset" }).optional(),
    entity: text({ max: 40 }).optional(),
    entityId: text({ max: 64 }).optional(),
  })
  .optional();
export type AuditLogInput = z.infer<typeof auditLogInput>;

// ---- integrations (owner) ------------------------------------------------------------------------

export const updateIntegrationsInput = z.object({
  /** The company's Retell agent (voice); null disconnects it. */
  retellAgentId: text({ max: 100 })
    .regex(/^[A-Za-z0-9_-]{4,100}$/, { message: "must be a Retell agent id (letters, digits, _ and -)" })
    .nullable()
    .optional(),
  /** The company's Stripe customer (billing); null disconnects it. */
  stripeCustomerId: text({ max: 255 })
    .regex(/^cus_[A-Za-z0-9_]{4,250}$/, { message: "must be a Stripe customer id like cus_…" })
    .nullable()
    .optional(),
});
export type UpdateIntegrationsInput = z.infer<typeof updateIntegrationsInput>;
