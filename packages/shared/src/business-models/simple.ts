import type { ServiceSpec, StaffCandidate } from "../availability/types.js";
import type { BusinessModelStrategy } from "./types.js";

/** Single location, no skill matrix: whoever offers the service can do it; no resources needed. */
export const simpleStrategy: BusinessModelStrategy = {
  model: "simple",
  eligibleStaff(_service: ServiceSpec, staff: readonly StaffCandidate[]): StaffCandidate[] {
    return staff.filter((s) => s.offersService);
  },
  resourceKindFor(): string | null {
    return null;
  },
};
