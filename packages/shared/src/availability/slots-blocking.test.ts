/** computeSlots: what takes time away or adds conditions: busy time and buffers, exceptions, skills and rooms; a brute-force check on a large input. */
import { describe, it, expect } from "vitest";
import { computeSlots } from "./slots.js";
import { MIN, ms, hm, local, clock, SERVICE, staff, weekly, MON_SAT, input } from "./slots.fixtures.js";
import type { AvailabilityException, AvailabilityInput, BusyInterval, ResourceSpec, ServiceSpec, StaffCandidate } from "./types.js";

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
