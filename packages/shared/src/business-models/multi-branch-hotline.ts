import { simpleStrategy } from "./simple.js";
import type { BusinessModelStrategy } from "./types.js";

/**
 * Several branches behind one hotline. Availability is computed per branch (the caller passes that
 * branch's staff, rules and bookings) and behaves exactly like the simple model; choosing the branch
 * is done by ./hotline-routing.ts.
 */
export const multiBranchHotlineStrategy: BusinessModelStrategy = {
  model: "multi_branch_hotline",
  eligibleStaff: (service, staff) => simpleStrategy.eligibleStaff(service, staff),
  resourceKindFor: (service) => simpleStrategy.resourceKindFor(service),
};
