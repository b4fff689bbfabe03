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

export const staffSummary = z.object({ id: z.string(), name: z.string(), branchIds: z.array(z.string()) });
export type StaffSummary = z.infer<typeof staffSummary>;
