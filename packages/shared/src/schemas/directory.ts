import { z } from "zod";
import { idSchema } from "./common.js";

export const byBranchInput = z.object({ branchId: idSchema.optional() }).optional();
export type ByBranchInput = z.infer<typeof byBranchInput>;

export interface BranchSummary {
  id: string;
  name: string;
  timezone: string;
  phoneNumber: string | null;
  city: string | null;
}
export interface ServiceSummary {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceMinor: number;
  currency: string;
  requiredSkillLevel: number | null;
  requiredResourceKind: string | null;
}
export interface StaffSummary {
  id: string;
  name: string;
  branchIds: string[];
}
