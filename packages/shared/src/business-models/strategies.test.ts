import { describe, it, expect } from "vitest";
import type { ServiceSpec, StaffCandidate } from "../availability/types.js";
import { BUSINESS_MODELS, STRATEGIES, getStrategy, isBusinessModel } from "./index.js";

const service = (o: Partial<ServiceSpec> = {}): ServiceSpec => ({
  id: "color",
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  requiredSkillLevel: null,
  requiredResourceKind: null,
  ...o,
});

const staff: StaffCandidate[] = [
  { id: "anna", offersService: true, skills: [{ serviceId: "color", level: 3 }] },
  { id: "ben", offersService: false, skills: [{ serviceId: "color", level: 1 }] },
  { id: "carl", offersService: true, skills: [] },
  { id: "dora", offersService: false, skills: [{ serviceId: "cut", level: 5 }, { serviceId: "color", level: 2 }] },
];
const ids = (list: StaffCandidate[]) => list.map((s) => s.id);

describe("strategy registry", () => {
  it("has exactly one strategy per business model, registered under its own key", () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...BUSINESS_MODELS].sort());
    for (const model of BUSINESS_MODELS) expect(getStrategy(model).model).toBe(model);
  });

  it("rejects unknown models with RangeError", () => {
    expect(() => getStrategy("franchise" as never)).toThrow(RangeError);
    expect(isBusinessModel("simple")).toBe(true);
    expect(isBusinessModel("toString")).toBe(false);
  });
});

describe("simple", () => {
  const s = getStrategy("simple");
  it("eligible = offersService, never needs a resource", () => {
    expect(ids(s.eligibleStaff(service(), staff))).toEqual(["anna", "carl"]);
    expect(s.resourceKindFor(service({ requiredResourceKind: "treatment_room" }))).toBeNull();
  });
});

describe("multi_branch_hotline", () => {
  const s = getStrategy("multi_branch_hotline");
  it("behaves like simple per branch", () => {
    expect(ids(s.eligibleStaff(service({ requiredSkillLevel: 5 }), staff))).toEqual(["anna", "carl"]);
    expect(s.resourceKindFor(service({ requiredResourceKind: "chair" }))).toBeNull();
  });
});

describe("complex_service_matrix", () => {
  const s = getStrategy("complex_service_matrix");
  it("needs a skill entry for the service, any level when requiredSkillLevel is null", () => {
    expect(ids(s.eligibleStaff(service(), staff))).toEqual(["anna", "ben", "dora"]);
  });
  it("filters by minimum level (inclusive)", () => {
    expect(ids(s.eligibleStaff(service({ requiredSkillLevel: 2 }), staff))).toEqual(["anna", "dora"]);
    expect(ids(s.eligibleStaff(service({ requiredSkillLevel: 3 }), staff))).toEqual(["anna"]);
    expect(ids(s.eligibleStaff(service({ requiredSkillLevel: 4 }), staff))).toEqual([]);
  });
  it("ignores skills for other services", () => {
    expect(ids(s.eligibleStaff(service({ id: "cut", requiredSkillLevel: 5 }), staff))).toEqual(["dora"]);
  });
  it("needs the service's resource kind", () => {
    expect(s.resourceKindFor(service({ requiredResourceKind: "treatment_room" }))).toBe("treatment_room");
    expect(s.resourceKindFor(service())).toBeNull();
  });
});
