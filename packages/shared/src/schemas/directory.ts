import { z } from "zod";
import { idSchema } from "./common.js";

export const byBranchInput = z.object({ branchId: idSchema.optional() }).optional();
export type ByBranchInput = z.infer<typeof byBranchInput>;

export const branchSummary = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  phoneNumber: z.string().nullable(),
  city: z.string().nullable(),
});
export type BranchSummary = z.infer<typeof branchSummary>;

export const serviceSummary = z.object({
  id: z.string(),
  name: z.string(),
  durationMinutes: z.number().int(),
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  priceMinor: z.number().int(),
  currency: z.string(),
  requiredSkillLevel: z.number().int().nullable(),
  requiredResourceKind: z.string().nullable(),
});
export type ServiceSummary = z.infer<typeof serviceSummary>;

/** A service a staff member does, at which level (complex_service_matrix reads it), where (null = every branch of theirs). */
export const staffSkillOut = z.object({ serviceId: z.string(), serviceName: z.string(), level: z.number().int(), branchId: z.string().nullable() });
export const staffSummary = z.object({ id: z.string(), name: z.string(), branchIds: z.array(z.string()), skills: z.array(staffSkillOut) });
export type StaffSummary = z.infer<typeof staffSummary>;

/** A bookable resource (e.g. a treatment room) that services of its `kind` need. */
export const resourceSummary = z.object({ id: z.string(), name: z.string(), kind: z.string(), branchId: z.string() });
export type ResourceSummary = z.infer<typeof resourceSummary>;
