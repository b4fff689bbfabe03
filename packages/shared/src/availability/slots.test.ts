import { describe, it, expect } from "vitest";
import { computeSlots } from "./slots.js";
import { toZonedIso } from "./time.js";
import type {
  AvailabilityException,
  AvailabilityInput,
  BusyInterval,
  ResourceSpec,
  ServiceSpec,
  StaffCandidate,
  WeeklyRule,
} from "./types.js";

const TZ = "Europe/Berlin";
const MIN = 60_000;
const ms = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test iso ${iso}`);
  return t;
};
const hm = (h: number, m = 0) => h * 60 + m;
const local = (t: number) => toZonedIso(t, TZ);
/** "HH:mm" of a slot start in Berlin. */
const clock = (t: number) => local(t).slice(11, 16);

const SERVICE: ServiceSpec = {
  id: "cut",
  durationMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  requiredSkillLevel: null,
  requiredResourceKind: null,
};

const staff = (id: string, extra: Partial<StaffCandidate> = {}): StaffCandidate => ({
  id,
  offersService: true,
  skills: [],
  ...extra,
});

/** The same window on each given ISO weekday. */
const weekly = (staffId: string, weekdays: number[], from: number, to: number, extra: Partial<WeeklyRule> = {}) =>
  weekdays.map((weekday) => ({ staffId, weekday, startMinute: from, endMinute: to, ...extra }));

const MON_SAT = [1, 2, 3, 4, 5, 6];
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

function input(overrides: Partial<AvailabilityInput> = {}): AvailabilityInput {
  return {
    businessModel: "simple",
    timezone: TZ,
    fromDate: "2026-04-13", // a Monday, summer time
    days: 1,
    now: ms("2026-01-01T00:00:00Z"),
    policy: { slotStepMinutes: 15, minNoticeMinutes: 0, horizonDays: 365 },
    service: SERVICE,
    staff: [staff("anna")],
    rules: weekly("anna", MON_SAT, hm(9), hm(18)),
    exceptions: [],
    busy: [],
    resources: [],
    ...overrides,
  };
}

describe("computeSlots: weekly rules and DST", () => {
  it("offers 09:00 … 17:30 every 15 minutes for a 09:00–18:00 rule", () => {
    const slots = computeSlots(input());
    expect(slots).toHaveLength(35);
    expect(local(slots[0]!.start)).toBe("2026-04-13T09:00:00+02:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-04-13T17:30:00+02:00");
    expect(slots[1]!.start - slots[0]!.start).toBe(15 * MIN);
    for (const s of slots) expect(s.end - s.start).toBe(30 * MIN);
  });

  it("starts at 09:00 local on the Monday after spring forward (+02:00)", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-30" }));
    expect(local(slots[0]!.start)).toBe("2026-03-30T09:00:00+02:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-03-30T17:30:00+02:00");
    expect(slots).toHaveLength(35);
  });

  it("starts at 09:00 local on the Monday after fall back (+01:00)", () => {
    const slots = computeSlots(input({ fromDate: "2026-10-26" }));
    expect(local(slots[0]!.start)).toBe("2026-10-26T09:00:00+01:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-10-26T17:30:00+01:00");
  });

  it("keeps local 09:00 across a multi-day range spanning the transition, with no Sunday slots", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-28", days: 3 }));
    const firstPerDay = new Map<string, string>();
    for (const s of slots) {
      const iso = local(s.start);
      if (!firstPerDay.has(iso.slice(0, 10))) firstPerDay.set(iso.slice(0, 10), iso);
    }
    expect([...firstPerDay.values()]).toEqual(["2026-03-28T09:00:00+01:00", "2026-03-30T09:00:00+02:00"]);
    expect(slots).toHaveLength(70);
  });

  it("offers no slot in the skipped hour of a night rule on spring-forward Sunday", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-29", rules: weekly("anna", [7], hm(0), hm(4)) }));
    const times = slots.map((s) => clock(s.start));
    expect(times.some((t) => t.startsWith("02:"))).toBe(false);
    expect(times).toEqual(["00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30"]);
    // 01:45 CET + 30 min = 03:15 CEST: still inside the (3 h long) window.
    expect(local(slots[7]!.end)).toBe("2026-03-29T03:15:00+02:00");
  });

  it("measures the spring-forward night window in real time (3 h, not 4 h)", () => {
    const long = { ...SERVICE, durationMinutes: 180 };
    const slots = computeSlots(input({ fromDate: "2026-03-29", rules: weekly("anna", [7], hm(0), hm(4)), service: long }));
    expect(slots.map((s) => local(s.start))).toEqual(["2026-03-29T00:00:00+01:00"]);
  });

  it("offers each local time of the repeated hour exactly once (earlier instant) on fall-back Sunday", () => {
    const slots = computeSlots(input({ fromDate: "2026-10-25", rules: weekly("anna", [7], hm(0), hm(4)) }));
    const times = slots.map((s) => clock(s.start));
    const expected: string[] = [];
    for (let m = 0; m <= hm(3, 30); m += 15) {
      expected.push(`${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
    }
    expect(times).toEqual(expected);
    for (const t of ["02:00", "02:15", "02:30", "02:45"]) expect(times.filter((x) => x === t)).toHaveLength(1);
    expect(new Set(slots.map((s) => s.start)).size).toBe(slots.length);
    const at0230 = slots.find((s) => clock(s.start) === "02:30")!;
    expect(local(at0230.start)).toBe("2026-10-25T02:30:00+02:00");
    expect(slots.some((s) => local(s.start) === "2026-10-25T02:30:00+01:00")).toBe(false);
  });

  it("measures the fall-back night window in real time (5 h)", () => {
    const long = { ...SERVICE, durationMinutes: 270 };
    const rules = weekly("anna", [7], hm(0), hm(4));
    expect(computeSlots(input({ fromDate: "2026-10-25", rules, service: long })).map((s) => local(s.start))).toEqual([
      "2026-10-25T00:00:00+02:00",
      "2026-10-25T00:15:00+02:00",
      "2026-10-25T00:30:00+02:00",
    ]);
    expect(computeSlots(input({ fromDate: "2026-10-18", rules, service: long }))).toEqual([]);
  });

  it("steps from each rule's own start in local time", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(9, 10), endMinute: hm(10) },
      { staffId: "anna", weekday: 1, startMinute: hm(14), endMinute: hm(15) },
    ];
    const slots = computeSlots(input({ rules }));
    expect(slots.map((s) => clock(s.start))).toEqual(["09:10", "09:25", "14:00", "14:15", "14:30"]);
  });

  it("supports an uneven step and a service longer than the step", () => {
    const slots = computeSlots(
      input({ policy: { slotStepMinutes: 20, minNoticeMinutes: 0, horizonDays: 365 }, service: { ...SERVICE, durationMinutes: 50 } }),
    );
    expect(slots[0] && clock(slots[0].start)).toBe("09:00");
    expect(slots.map((s) => clock(s.start)).at(-1)).toBe("17:00"); // 17:20 + 50 > 18:00
    expect(slots).toHaveLength(25);
  });

  it("respects validFrom / validUntil (inclusive local dates)", () => {
    const rules = [
      ...weekly("anna", MON_SAT, hm(9), hm(12), { validUntil: "2026-04-14" }),
      ...weekly("anna", MON_SAT, hm(13), hm(17), { validFrom: "2026-04-15", validUntil: null }),
    ];
    const slots = computeSlots(input({ rules, days: 4 }));
    const byDay = (d: string) => slots.filter((s) => local(s.start).startsWith(d)).map((s) => clock(s.start));
    expect(byDay("2026-04-13")[0]).toBe("09:00");
    expect(byDay("2026-04-14")).toContain("11:30");
    expect(byDay("2026-04-14")).not.toContain("13:00");
    expect(byDay("2026-04-15")[0]).toBe("13:00");
    expect(byDay("2026-04-15")).not.toContain("09:00");
    expect(byDay("2026-04-16")[0]).toBe("13:00");
  });

  it("ignores staff who do not offer the service and rules of unknown staff", () => {
    const slots = computeSlots(
      input({
        staff: [staff("anna", { offersService: false }), staff("ben")],
        rules: [...weekly("anna", MON_SAT, hm(9), hm(18)), ...weekly("ben", MON_SAT, hm(9), hm(10)), ...weekly("ghost", MON_SAT, hm(9), hm(18))],
      }),
    );
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set(["ben"]));
    expect(slots).toHaveLength(3);
  });

  it("sorts by start then staffId and never repeats a (start, staff) pair", () => {
    const slots = computeSlots(
      input({
        staff: [staff("zoe"), staff("anna")],
        rules: [
          ...weekly("zoe", [1], hm(9), hm(10)),
          ...weekly("anna", [1], hm(9), hm(10)),
          ...weekly("anna", [1], hm(9), hm(10)), // duplicate rule
        ],
        exceptions: [{ staffId: "anna", kind: "extra_availability", start: ms("2026-04-13T09:00:00+02:00"), end: ms("2026-04-13T10:00:00+02:00") }],
      }),
    );
    expect(slots.map((s) => `${clock(s.start)} ${s.staffId}`)).toEqual([
      "09:00 anna",
      "09:00 zoe",
      "09:15 anna",
      "09:15 zoe",
      "09:30 anna",
      "09:30 zoe",
    ]);
  });

  it("a slot may run past midnight into the next day's rule, even at the end of the range", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(22), endMinute: 1440 },
      { staffId: "anna", weekday: 2, startMinute: 0, endMinute: hm(1) },
    ];
    const service = { ...SERVICE, durationMinutes: 60 };
    const slots = computeSlots(input({ rules, service, days: 1 }));
    expect(slots.map((s) => local(s.start))).toEqual([
      "2026-04-13T22:00:00+02:00",
      "2026-04-13T22:15:00+02:00",
      "2026-04-13T22:30:00+02:00",
      "2026-04-13T22:45:00+02:00",
      "2026-04-13T23:00:00+02:00",
      "2026-04-13T23:15:00+02:00",
      "2026-04-13T23:30:00+02:00",
      "2026-04-13T23:45:00+02:00",
    ]);
  });

  it("merges touching windows so a slot may span two adjacent rules", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(9), endMinute: hm(12) },
      { staffId: "anna", weekday: 1, startMinute: hm(12), endMinute: hm(13) },
    ];
    const times = computeSlots(input({ rules })).map((s) => clock(s.start));
    expect(times).toContain("11:45");
    expect(times.at(-1)).toBe("12:30");
  });
});

describe("computeSlots: busy time and buffers", () => {
  // Existing 90-min appointment 10:00–11:30 with a 15-min after-buffer → busy 10:00–11:45.
  const busy: BusyInterval[] = [{ staffId: "anna", start: ms("2026-04-13T10:00:00+02:00"), end: ms("2026-04-13T11:45:00+02:00") }];

  it("next 30-min slot after the blocked appointment is 11:45", () => {
    const times = computeSlots(input({ busy })).map((s) => clock(s.start));
    expect(times).toContain("09:30"); // ends exactly at 10:00
    expect(times).not.toContain("09:45");
    expect(times).not.toContain("11:30");
    expect(times.find((t) => t >= "10:00")).toBe("11:45");
  });

  it("a 15-min before-buffer moves the next slot to 12:00", () => {
    const service = { ...SERVICE, bufferBeforeMinutes: 15 };
    const times = computeSlots(input({ busy, service })).map((s) => clock(s.start));
    expect(times).not.toContain("11:45");
    expect(times.find((t) => t >= "10:00")).toBe("12:00");
    expect(times).toContain("09:30");
  });

  it("an after-buffer blocks a slot ending right before the appointment", () => {
    const service = { ...SERVICE, bufferAfterMinutes: 15 };
    const times = computeSlots(input({ busy, service })).map((s) => clock(s.start));
    expect(times).not.toContain("09:30");
    expect(times).toContain("09:15");
    expect(times.find((t) => t >= "10:00")).toBe("11:45");
  });

  it("buffers may lie outside working hours", () => {
    const service = { ...SERVICE, bufferBeforeMinutes: 30, bufferAfterMinutes: 30 };
    const times = computeSlots(input({ service })).map((s) => clock(s.start));
    expect(times[0]).toBe("09:00");
    expect(times.at(-1)).toBe("17:30");
  });

  it("ignores other staff members' and resources' busy time", () => {
    const other: BusyInterval[] = [
      { staffId: "ben", start: ms("2026-04-13T09:00:00+02:00"), end: ms("2026-04-13T18:00:00+02:00") },
      { resourceId: "room-1", start: ms("2026-04-13T09:00:00+02:00"), end: ms("2026-04-13T18:00:00+02:00") },
    ];
    expect(computeSlots(input({ busy: other }))).toHaveLength(35);
  });

  it("handles overlapping and nested busy intervals", () => {
    const nested: BusyInterval[] = [
      { staffId: "anna", start: ms("2026-04-13T09:00:00+02:00"), end: ms("2026-04-13T13:00:00+02:00") },
      { staffId: "anna", start: ms("2026-04-13T10:00:00+02:00"), end: ms("2026-04-13T10:30:00+02:00") },
      { staffId: "anna", start: ms("2026-04-13T12:45:00+02:00"), end: ms("2026-04-13T14:00:00+02:00") },
    ];
    const times = computeSlots(input({ busy: nested })).map((s) => clock(s.start));
    expect(times[0]).toBe("14:00");
  });
});

describe("computeSlots: notice and horizon", () => {
  it("drops slots earlier than now + minNotice (boundary inclusive)", () => {
    const now = ms("2026-04-13T10:05:00+02:00");
    const times = computeSlots(input({ now, policy: { slotStepMinutes: 15, minNoticeMinutes: 60, horizonDays: 30 } })).map((s) => clock(s.start));
    expect(times[0]).toBe("11:15");
    const exact = computeSlots(
      input({ now: ms("2026-04-13T10:00:00+02:00"), policy: { slotStepMinutes: 15, minNoticeMinutes: 60, horizonDays: 30 } }),
    );
    expect(clock(exact[0]!.start)).toBe("11:00");
  });

  it("drops slots at or after now + horizonDays", () => {
    const now = ms("2026-04-13T12:00:00+02:00");
    const slots = computeSlots(input({ now, days: 3, policy: { slotStepMinutes: 15, minNoticeMinutes: 0, horizonDays: 1 } }));
    expect(local(slots[0]!.start)).toBe("2026-04-13T12:00:00+02:00");
    expect(local(slots.at(-1)!.start)).toBe("2026-04-14T11:45:00+02:00");
  });

  it("counts the horizon in local calendar days across DST", () => {
    const now = ms("2026-03-28T12:00:00+01:00");
    const rules = weekly("anna", ALL_DAYS, hm(9), hm(18));
    const slots = computeSlots(input({ now, rules, fromDate: "2026-03-28", days: 3, policy: { slotStepMinutes: 15, minNoticeMinutes: 0, horizonDays: 1 } }));
    expect(local(slots.at(-1)!.start)).toBe("2026-03-29T11:45:00+02:00");
  });

  it("returns nothing when the whole range is in the past", () => {
    expect(computeSlots(input({ now: ms("2026-05-01T00:00:00Z") }))).toEqual([]);
  });
});

describe("computeSlots: exceptions", () => {
  const day = (t: string) => ms(`2026-04-13T${t}:00+02:00`);

  it("removes staff time off only for that staff member", () => {
    const exceptions: AvailabilityException[] = [{ staffId: "anna", kind: "time_off", start: day("12:00"), end: day("14:00") }];
    const slots = computeSlots(input({ staff: [staff("anna"), staff("ben")], rules: [...weekly("anna", MON_SAT, hm(9), hm(18)), ...weekly("ben", MON_SAT, hm(9), hm(18))], exceptions }));
    const anna = slots.filter((s) => s.staffId === "anna").map((s) => clock(s.start));
    const ben = slots.filter((s) => s.staffId === "ben").map((s) => clock(s.start));
    expect(anna).toContain("11:30");
    expect(anna).not.toContain("11:45");
    expect(anna).not.toContain("13:45");
    expect(anna).toContain("14:00");
    expect(ben).toContain("12:30");
    expect(ben).toHaveLength(35);
  });

  it("a branch-wide holiday (staffId null) removes everyone's slots for that day", () => {
    const exceptions: AvailabilityException[] = [
      { staffId: null, kind: "holiday", start: ms("2026-04-06T00:00:00+02:00"), end: ms("2026-04-07T00:00:00+02:00") },
    ];
    const slots = computeSlots(
      input({
        fromDate: "2026-04-06",
        days: 2,
        staff: [staff("anna"), staff("ben")],
        rules: [...weekly("anna", MON_SAT, hm(9), hm(18)), ...weekly("ben", MON_SAT, hm(9), hm(18))],
        exceptions,
      }),
    );
    expect(slots.some((s) => local(s.start).startsWith("2026-04-06"))).toBe(false);
    expect(slots.filter((s) => local(s.start).startsWith("2026-04-07"))).toHaveLength(70);
  });

  it("a partial closure trims the day for everyone", () => {
    const exceptions: AvailabilityException[] = [{ staffId: null, kind: "closure", start: day("15:00"), end: day("23:00") }];
    const times = computeSlots(input({ exceptions })).map((s) => clock(s.start));
    expect(times.at(-1)).toBe("14:30");
  });

  it("extra availability opens a Sunday, stepping from its own start", () => {
    const sunday = (t: string) => ms(`2026-04-12T${t}:00+02:00`);
    const exceptions: AvailabilityException[] = [{ staffId: "anna", kind: "extra_availability", start: sunday("10:10"), end: sunday("12:00") }];
    const slots = computeSlots(input({ fromDate: "2026-04-12", staff: [staff("anna"), staff("ben")], rules: [], exceptions }));
    expect(slots.map((s) => `${clock(s.start)} ${s.staffId}`)).toEqual([
      "10:10 anna",
      "10:25 anna",
      "10:40 anna",
      "10:55 anna",
      "11:10 anna",
      "11:25 anna",
    ]);
  });

  it("extra availability with staffId null applies to every eligible staff member", () => {
    const sunday = (t: string) => ms(`2026-04-12T${t}:00+02:00`);
    const exceptions: AvailabilityException[] = [{ staffId: null, kind: "extra_availability", start: sunday("10:00"), end: sunday("11:00") }];
    const slots = computeSlots(
      input({ fromDate: "2026-04-12", staff: [staff("anna"), staff("ben"), staff("carl", { offersService: false })], rules: [], exceptions }),
    );
    expect(slots.map((s) => `${clock(s.start)} ${s.staffId}`)).toEqual([
      "10:00 anna",
      "10:00 ben",
      "10:15 anna",
      "10:15 ben",
      "10:30 anna",
      "10:30 ben",
    ]);
  });

  it("time off wins over extra availability", () => {
    const sunday = (t: string) => ms(`2026-04-12T${t}:00+02:00`);
    const exceptions: AvailabilityException[] = [
      { staffId: "anna", kind: "extra_availability", start: sunday("10:00"), end: sunday("12:00") },
      { staffId: null, kind: "closure", start: sunday("10:30"), end: sunday("11:30") },
    ];
    const times = computeSlots(input({ fromDate: "2026-04-12", rules: [], exceptions })).map((s) => clock(s.start));
    expect(times).toEqual(["10:00", "11:30"]);
  });
});

describe("computeSlots: complex_service_matrix", () => {
  const matrixStaff: StaffCandidate[] = [
    { id: "anna", offersService: false, skills: [{ serviceId: "laser", level: 3 }] },
    { id: "ben", offersService: true, skills: [{ serviceId: "laser", level: 1 }] },
    { id: "carl", offersService: true, skills: [] },
    { id: "dora", offersService: true, skills: [{ serviceId: "massage", level: 5 }] },
  ];
  const rules = ["anna", "ben", "carl", "dora"].flatMap((id) => weekly(id, MON_SAT, hm(9), hm(12)));
  const laser: ServiceSpec = { ...SERVICE, id: "laser", requiredSkillLevel: 2, requiredResourceKind: "treatment_room" };
  const rooms: ResourceSpec[] = [
    { id: "laser-1", kind: "laser_device" },
    { id: "room-1", kind: "treatment_room" },
    { id: "room-2", kind: "treatment_room" },
  ];
  const t = (x: string) => ms(`2026-04-13T${x}:00+02:00`);
  const base = (o: Partial<AvailabilityInput> = {}) =>
    input({ businessModel: "complex_service_matrix", staff: matrixStaff, rules, service: laser, resources: rooms, ...o });

  it("only staff with a high enough skill level get slots", () => {
    const slots = computeSlots(base());
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set(["anna"]));
  });

  it("requiredSkillLevel null accepts any skill entry for the service", () => {
    const slots = computeSlots(base({ service: { ...laser, requiredSkillLevel: null } }));
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set(["anna", "ben"]));
  });

  it("assigns the first free room of the needed kind", () => {
    const slots = computeSlots(base());
    expect(slots.every((s) => s.resourceId === "room-1")).toBe(true);
    const busy: BusyInterval[] = [{ resourceId: "room-1", start: t("10:00"), end: t("11:00") }];
    const withBusy = computeSlots(base({ busy }));
    const at = (x: string) => withBusy.find((s) => s.start === t(x));
    expect(at("10:00")?.resourceId).toBe("room-2");
    expect(at("09:30")?.resourceId).toBe("room-1");
    expect(at("11:00")?.resourceId).toBe("room-1");
  });

  it("a slot disappears when every room of the kind is busy", () => {
    const busy: BusyInterval[] = [
      { resourceId: "room-1", start: t("10:00"), end: t("11:00") },
      { resourceId: "room-2", start: t("10:15"), end: t("11:00") },
    ];
    const slots = computeSlots(base({ busy }));
    const times = slots.map((s) => clock(s.start));
    expect(times).toContain("09:30");
    expect(slots.find((s) => clock(s.start) === "09:45")?.resourceId).toBe("room-2"); // room-2 busy only from 10:15
    expect(times).not.toContain("10:00");
    expect(times).not.toContain("10:30");
    expect(times).toContain("11:00");
    expect(slots.find((s) => clock(s.start) === "09:30")?.resourceId).toBe("room-1");
  });

  it("room availability includes the service buffers", () => {
    const busy: BusyInterval[] = [
      { resourceId: "room-1", start: t("10:00"), end: t("11:00") },
      { resourceId: "room-2", start: t("10:00"), end: t("11:00") },
    ];
    const times = computeSlots(base({ busy, service: { ...laser, bufferAfterMinutes: 15 } })).map((s) => clock(s.start));
    expect(times).not.toContain("09:30");
    expect(times).toContain("09:15");
  });

  it("a service without a required kind ignores rooms", () => {
    const busy: BusyInterval[] = [
      { resourceId: "room-1", start: t("09:00"), end: t("12:00") },
      { resourceId: "room-2", start: t("09:00"), end: t("12:00") },
    ];
    const slots = computeSlots(base({ busy, service: { ...laser, requiredResourceKind: null } }));
    expect(slots).toHaveLength(11);
    expect(slots.every((s) => s.resourceId === undefined)).toBe(true);
  });

  it("no slots when the branch has no resource of the needed kind", () => {
    expect(computeSlots(base({ resources: [{ id: "laser-1", kind: "laser_device" }] }))).toEqual([]);
  });

  it("the simple model ignores skills and resource kinds", () => {
    const busy: BusyInterval[] = [
      { resourceId: "room-1", start: t("09:00"), end: t("12:00") },
      { resourceId: "room-2", start: t("09:00"), end: t("12:00") },
    ];
    const slots = computeSlots(base({ businessModel: "simple", busy }));
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set(["ben", "carl", "dora"]));
    expect(slots.every((s) => s.resourceId === undefined)).toBe(true);
  });
});

describe("computeSlots: larger input", () => {
  it("10 staff × 31 days with ~200 busy intervals matches a brute-force check", () => {
    const staffIds = Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    const rules = staffIds.flatMap((id, i) => weekly(id, MON_SAT, hm(8 + (i % 3)), hm(17 + (i % 2))));
    // Deterministic pseudo-random busy intervals in May 2026 (no DST change in May).
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const busy: BusyInterval[] = [];
    for (let i = 0; i < 200; i++) {
      const day = 1 + Math.floor(rnd() * 31);
      const startMin = hm(8) + Math.floor(rnd() * 40) * 15;
      const len = 15 * (1 + Math.floor(rnd() * 8));
      const start = ms(`2026-05-${String(day).padStart(2, "0")}T00:00:00+02:00`) + startMin * MIN;
      busy.push({ staffId: staffIds[i % 10]!, start, end: start + len * MIN });
    }
    const service = { ...SERVICE, durationMinutes: 45, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 };
    const slots = computeSlots(
      input({ fromDate: "2026-05-01", days: 31, staff: staffIds.map((id) => staff(id)), rules, busy, service }),
    );

    // Brute force: every (day, staff, local minute) candidate checked against every busy interval.
    const expected: string[] = [];
    for (let day = 1; day <= 31; day++) {
      const date = `2026-05-${String(day).padStart(2, "0")}`;
      const midnight = ms(`${date}T00:00:00+02:00`);
      const weekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
      for (const r of rules) {
        if (r.weekday !== weekday) continue;
        for (let m = r.startMinute; m + 45 <= r.endMinute; m += 15) {
          const s = midnight + m * MIN;
          const blocked = [s - 5 * MIN, s + 55 * MIN];
          const clash = busy.some((b) => b.staffId === r.staffId && b.start < blocked[1]! && b.end > blocked[0]!);
          if (!clash) expected.push(`${s}|${r.staffId}`);
        }
      }
    }
    expected.sort();
    expect(slots.length).toBeGreaterThan(5000);
    expect(slots.map((s) => `${s.start}|${s.staffId}`).sort()).toEqual(expected);

    // A few spot checks around the first busy interval.
    const b0 = busy[0]!;
    const has = (start: number, id: string) => slots.some((s) => s.start === start && s.staffId === id);
    expect(has(b0.start, b0.staffId!)).toBe(false);
    expect(has(b0.start - 30 * MIN, b0.staffId!)).toBe(false); // blocked end 10 min after the slot
    for (let i = 1; i < slots.length; i++) {
      const a = slots[i - 1]!;
      const b = slots[i]!;
      expect(a.start < b.start || (a.start === b.start && a.staffId < b.staffId)).toBe(true);
    }
  });
});

describe("computeSlots: input validation", () => {
  it.each([
    ["timezone", { timezone: "Mars/Olympus" }, /timezone/],
    ["fromDate format", { fromDate: "13.04.2026" }, /fromDate/],
    ["fromDate calendar", { fromDate: "2026-02-30" }, /fromDate/],
    ["days 0", { days: 0 }, /days/],
    ["days 32", { days: 32 }, /days/],
    ["days fractional", { days: 1.5 }, /days/],
    ["now NaN", { now: Number.NaN }, /now/],
    ["step 0", { policy: { slotStepMinutes: 0, minNoticeMinutes: 0, horizonDays: 30 } }, /slotStepMinutes/],
    ["step negative", { policy: { slotStepMinutes: -15, minNoticeMinutes: 0, horizonDays: 30 } }, /slotStepMinutes/],
    ["duration 0", { service: { ...SERVICE, durationMinutes: 0 } }, /durationMinutes/],
    ["duration negative", { service: { ...SERVICE, durationMinutes: -30 } }, /durationMinutes/],
    ["duration NaN", { service: { ...SERVICE, durationMinutes: Number.NaN } }, /durationMinutes/],
    ["negative buffer", { service: { ...SERVICE, bufferAfterMinutes: -5 } }, /bufferAfterMinutes/],
    ["rule minutes", { rules: [{ staffId: "anna", weekday: 1, startMinute: 600, endMinute: 540 }] }, /rule/],
    ["rule weekday", { rules: [{ staffId: "anna", weekday: 0, startMinute: 540, endMinute: 600 }] }, /weekday/],
    ["rule validFrom", { rules: [{ staffId: "anna", weekday: 1, startMinute: 540, endMinute: 600, validFrom: "2026-13-01" }] }, /validFrom/],
    ["business model", { businessModel: "franchise" as never }, /business model/],
  ] as [string, Partial<AvailabilityInput>, RegExp][])("throws RangeError for invalid %s", (_name, o, msg) => {
    expect(() => computeSlots(input(o))).toThrow(RangeError);
    expect(() => computeSlots(input(o))).toThrow(msg);
  });

  it("accepts the 31-day maximum", () => {
    expect(() => computeSlots(input({ days: 31 }))).not.toThrow();
  });
});
