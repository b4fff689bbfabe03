import type { ServiceSpec, StaffCandidate } from "../availability/types.js";
import type { BusinessModelStrategy } from "./types.js";

/**
 * Skill matrix + resources: a staff member is eligible when they have a skill entry for the service
 * whose level is at least `service.requiredSkillLevel` (any entry when that is null). `offersService`
 * is not consulted in this model. The whole appointment needs one resource of
 * `service.requiredResourceKind` (none when null).
 */
export const complexServiceMatrixStrategy: BusinessModelStrategy = {
  model: "complex_service_matrix",
  eligibleStaff(service: ServiceSpec, staff: readonly StaffCandidate[]): StaffCandidate[] {
    const min = service.requiredSkillLevel;
    return staff.filter((s) =>
      s.skills.some((sk) => sk.serviceId === service.id && (min === null || min === undefined || sk.level >= min)),
    );
  },
  resourceKindFor(service: ServiceSpec): string | null {
    return service.requiredResourceKind ? service.requiredResourceKind : null;
  },
};
