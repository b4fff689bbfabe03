import { describe, expect, it } from "vitest";
import { createAppointmentInput, listAppointmentsInput } from "./booking.js";
import { describeIssues } from "./common.js";

const describeFailure = (schema: { safeParse(v: unknown): { error?: { issues: Parameters<typeof describeIssues>[0] } } }, value: unknown) =>
  describeIssues(schema.safeParse(value).error!.issues);

describe("describeIssues", () => {
  it("names each field once and never repeats zod's 'Invalid input'", () => {
    const text = describeFailure(createAppointmentInput, { branchId: "x", customer: {}, start: 5 });
    expect(text).toBe(
      "branchId: must be a UUID; serviceId: must be a UUID; start: must be an ISO-8601 instant with offset, e.g. 2026-12-01T10:00:00+01:00; " +
        "customer.phone: is required; customer.name: is required; idempotencyKey: is required",
    );
    expect(text).not.toMatch(/Invalid input/);
  });

  it("explains a union by the alternative that matched the type", () => {
    const base = { branchId: "00000000-0000-4000-8000-000000000000", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" };
    expect(describeFailure(listAppointmentsInput, { ...base, status: "failed" })).toBe("status: must be one of pending, confirmed, completed, no_show, cancelled");
    expect(describeFailure(listAppointmentsInput, { ...base, status: [7] })).toBe("status: must be one of pending, confirmed, completed, no_show, cancelled");
  });

  it("a wrong type of the whole input", () => {
    expect(describeFailure(listAppointmentsInput, "hello")).toBe("input: expected object, received string");
  });
});
