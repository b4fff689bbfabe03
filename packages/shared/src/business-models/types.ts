import type { ServiceSpec, StaffCandidate } from "../availability/types.js";

export const BUSINESS_MODELS = ["simple", "multi_branch_hotline", "complex_service_matrix"] as const;
export type BusinessModel = (typeof BUSINESS_MODELS)[number];

/**
 * What differs between business models when computing availability for one branch.
 * A new business model is one new file implementing this interface, registered in ./index.ts.
 */
export interface BusinessModelStrategy {
  readonly model: BusinessModel;
  /** The staff members who may perform `service`. */
  eligibleStaff(service: ServiceSpec, staff: readonly StaffCandidate[]): StaffCandidate[];
  /** The resource kind the whole appointment needs, or null. */
  resourceKindFor(service: ServiceSpec): string | null;
}
