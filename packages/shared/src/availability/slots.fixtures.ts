/** Shared inputs of the computeSlots tests (slots.test.ts, slots-blocking.test.ts): a Berlin salon, one rule set. */
import { toZonedIso } from "./time.js";
import type { AvailabilityInput, ServiceSpec, StaffCandidate, WeeklyRule } from "./types.js";

export const TZ = "Europe/Berlin";
export const MIN = 60_000;
export const ms = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test iso ${iso}`);
  return t;
};
export const hm = (h: number, m = 0) => h * 60 + m;
export const local = (t: number) => toZonedIso(t, TZ);
/** "HH:mm" of a slot start in Berlin. */
export const clock = (t: number) => local(t).slice(11, 16);

export const SERVICE: ServiceSpec = {
  id: "cut",
  durationMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  requiredSkillLevel: null,
  requiredResourceKind: null,
};

export const staff = (id: string, extra: Partial<StaffCandidate> = {}): StaffCandidate => ({
  id,
  offersService: true,
  skills: [],
  ...extra,
});

/** The same window on each given ISO weekday. */
export const weekly = (staffId: string, weekdays: number[], from: number, to: number, extra: Partial<WeeklyRule> = {}) =>
  weekdays.map((weekday) => ({ staffId, weekday, startMinute: from, endMinute: to, ...extra }));

export const MON_SAT = [1, 2, 3, 4, 5, 6];
export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

export function input(overrides: Partial<AvailabilityInput> = {}): AvailabilityInput {
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
