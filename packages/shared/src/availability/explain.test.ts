import { describe, expect, it } from "vitest";
import { computeSlots } from "./slots.js";
import { explainUnavailableStart, type UnavailableStartQuestion } from "./explain.js";

const TZ = "Europe/Berlin";
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const MONDAY_10 = at("2026-04-13T10:00:00+02:00");

const question = (overrides: Partial<UnavailableStartQuestion> = {}): UnavailableStartQuestion => ({
  businessModel: "simple",
  timezone: TZ,
  now: at("2026-04-01T08:00:00+02:00"),
  policy: { slotStepMinutes: 15, minNoticeMinutes: 120, horizonDays: 60 },
  service: { id: "cut", durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, requiredSkillLevel: null, requiredResourceKind: null },
  staff: [
    { id: "anna", offersService: true, skills: [{ serviceId: "cut", level: 3 }] },
    { id: "ben", offersService: false, skills: [] },
  ],
  // Anna works Mon–Sat 09:00–18:00; Ben Mondays 12:00–14:00
  rules: [
    ...[1, 2, 3, 4, 5, 6].map((weekday) => ({ staffId: "anna", weekday, startMinute: 540, endMinute: 1080 })),
    { staffId: "ben", weekday: 1, startMinute: 720, endMinute: 840 },
  ],
  exceptions: [],
  busy: [],
  resources: [],
  start: MONDAY_10,
  ...overrides,
});

describe("explainUnavailableStart", () => {
  it("null for a start that would be offered: taken by a booking is a conflict, not a reason", () => {
    expect(explainUnavailableStart(question())).toBeNull();
    expect(explainUnavailableStart(question({ busy: [{ staffId: "anna", start: MONDAY_10, end: MONDAY_10 + 30 * MIN }] }))).toBeNull();
    expect(explainUnavailableStart(question({ staffId: "anna" }))).toBeNull();
  });

  it("in_past, min_notice and beyond_horizon, measured from now", () => {
    const now = question().now;
    expect(explainUnavailableStart(question({ start: now - MIN }))).toBe("in_past");
    expect(explainUnavailableStart(question({ start: now + 119 * MIN }))).toBe("min_notice");
    expect(explainUnavailableStart(question({ start: at("2026-05-31T10:00:00+02:00") }))).toBe("beyond_horizon");
    expect(explainUnavailableStart(question({ start: at("2026-05-30T10:00:00+02:00") }))).toBeNull();
  });

  it("staff_not_eligible for a staff member who does not do the service, or when nobody does", () => {
    expect(explainUnavailableStart(question({ staffId: "ben", start: at("2026-04-13T12:00:00+02:00") }))).toBe("staff_not_eligible");
    expect(explainUnavailableStart(question({ staffId: "nobody" }))).toBe("staff_not_eligible");
    expect(explainUnavailableStart(question({ staff: [{ id: "ben", offersService: false, skills: [] }] }))).toBe("staff_not_eligible");
    // the skill matrix: Anna's level 3 is below a required 4
    expect(
      explainUnavailableStart(question({ businessModel: "complex_service_matrix", service: { ...question().service, requiredSkillLevel: 4 }, staffId: "anna" })),
    ).toBe("staff_not_eligible");
  });

  it("outside_hours when the appointment does not fit into working time", () => {
    expect(explainUnavailableStart(question({ start: at("2026-04-13T07:00:00+02:00") }))).toBe("outside_hours");
    expect(explainUnavailableStart(question({ start: at("2026-04-13T17:45:00+02:00") }))).toBe("outside_hours"); // would end 18:15
    expect(explainUnavailableStart(question({ start: at("2026-04-12T10:00:00+02:00") }))).toBe("outside_hours"); // Sunday
    const sick = { staffId: "anna", kind: "sick" as const, start: at("2026-04-13T00:00:00+02:00"), end: at("2026-04-14T00:00:00+02:00") };
    expect(explainUnavailableStart(question({ exceptions: [sick] }))).toBe("outside_hours");
    const holiday = { staffId: null, kind: "holiday" as const, start: at("2026-04-13T00:00:00+02:00"), end: at("2026-04-14T00:00:00+02:00") };
    expect(explainUnavailableStart(question({ exceptions: [holiday] }))).toBe("outside_hours");
  });

  it("off_grid inside working time but between the grid's steps (also to the second)", () => {
    expect(explainUnavailableStart(question({ start: at("2026-04-13T10:07:00+02:00") }))).toBe("off_grid");
    expect(explainUnavailableStart(question({ start: MONDAY_10 + 30_000 }))).toBe("off_grid");
    // extra availability steps from its own start
    const extra = { staffId: "anna", kind: "extra_availability" as const, start: at("2026-04-12T10:05:00+02:00"), end: at("2026-04-12T12:00:00+02:00") };
    expect(explainUnavailableStart(question({ exceptions: [extra], start: at("2026-04-12T10:20:00+02:00") }))).toBeNull();
    expect(explainUnavailableStart(question({ exceptions: [extra], start: at("2026-04-12T10:15:00+02:00") }))).toBe("off_grid");
  });

  it("agrees with computeSlots: every start it calls bookable is offered when nothing is booked, over a whole week", () => {
    const q = question();
    const offered = new Set(
      computeSlots({ ...q, fromDate: "2026-04-13", days: 7, busy: [] }).map((s) => s.start),
    );
    for (let t = at("2026-04-13T00:00:00+02:00"); t < at("2026-04-20T00:00:00+02:00"); t += 5 * MIN) {
      expect(explainUnavailableStart({ ...q, start: t }) === null, new Date(t).toISOString()).toBe(offered.has(t));
    }
  });
});
