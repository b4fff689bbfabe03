/**
 * Pure slot computation: weekly rules + exceptions − busy time → bookable slots.
 * See computeSlots for the exact rules.
 */
import { DateTime } from "luxon";
import { getStrategy } from "../business-models/index.js";
import { containedInOne, mergeIntervals, OverlapIndex, subtractIntervals } from "./intervals.js";
import {
  addLocalDays,
  isValidLocalDate,
  isValidTimeZone,
  localBoundaryToInstant,
  localDateRange,
  localDayInfos,
  localWallClockToInstant,
  type LocalDayInfo,
} from "./time.js";
import { EXCEPTION_KINDS, type AvailabilityException, type AvailabilityInput, type Interval, type Slot, type WeeklyRule } from "./types.js";

const MINUTE_MS = 60_000;
const MAX_DAYS = 31;
const KNOWN_EXCEPTION_KINDS: ReadonlySet<string> = new Set(EXCEPTION_KINDS);

function fail(message: string): never {
  throw new RangeError(message);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function validateInput(input: AvailabilityInput): void {
  if (!input || typeof input !== "object") fail("Availability input must be an object");
  if (!isValidTimeZone(input.timezone)) fail(`Invalid timezone: ${JSON.stringify(input.timezone)}`);
  if (!isValidLocalDate(input.fromDate)) {
    fail(`Invalid fromDate: ${JSON.stringify(input.fromDate)} (expected a real date as YYYY-MM-DD)`);
  }
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_DAYS) {
    fail(`Invalid days: ${input.days} (expected an integer 1…${MAX_DAYS})`);
  }
  if (!isFiniteNumber(input.now)) fail(`Invalid now: ${input.now} (expected epoch milliseconds)`);

  const { policy, service } = input;
  if (!policy) fail("Missing policy");
  if (!isFiniteNumber(policy.slotStepMinutes) || policy.slotStepMinutes <= 0) {
    fail(`Invalid policy.slotStepMinutes: ${policy.slotStepMinutes} (expected a positive number)`);
  }
  if (!isFiniteNumber(policy.minNoticeMinutes) || policy.minNoticeMinutes < 0) {
    fail(`Invalid policy.minNoticeMinutes: ${policy.minNoticeMinutes} (expected a number >= 0)`);
  }
  if (!isFiniteNumber(policy.horizonDays) || policy.horizonDays < 0) {
    fail(`Invalid policy.horizonDays: ${policy.horizonDays} (expected a number >= 0)`);
  }

  if (!service) fail("Missing service");
  if (!isFiniteNumber(service.durationMinutes) || service.durationMinutes <= 0) {
    fail(`Invalid service.durationMinutes: ${service.durationMinutes} (expected a positive number)`);
  }
  for (const key of ["bufferBeforeMinutes", "bufferAfterMinutes"] as const) {
    const v = service[key] ?? 0;
    if (!isFiniteNumber(v) || v < 0) fail(`Invalid service.${key}: ${v} (expected a number >= 0)`);
  }

  for (const r of input.rules) {
    if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
      fail(`Invalid weekly rule weekday for staff ${r.staffId}: ${r.weekday} (expected 1…7)`);
    }
    if (
      !isFiniteNumber(r.startMinute) ||
      !isFiniteNumber(r.endMinute) ||
      r.startMinute < 0 ||
      r.endMinute > 1440 ||
      r.startMinute >= r.endMinute
    ) {
      fail(`Invalid weekly rule minutes for staff ${r.staffId}: ${r.startMinute}–${r.endMinute} (expected 0 <= start < end <= 1440)`);
    }
    for (const key of ["validFrom", "validUntil"] as const) {
      const v = r[key];
      if (v !== null && v !== undefined && !isValidLocalDate(v)) {
        fail(`Invalid weekly rule ${key} for staff ${r.staffId}: ${JSON.stringify(v)}`);
      }
    }
  }
  for (const e of input.exceptions) {
    if (!isFiniteNumber(e.start) || !isFiniteNumber(e.end)) fail(`Invalid exception bounds: ${e.start}–${e.end}`);
    if (!KNOWN_EXCEPTION_KINDS.has(e.kind)) fail(`Invalid exception kind: ${JSON.stringify(e.kind)}`);
  }
  for (const b of input.busy) {
    if (!isFiniteNumber(b.start) || !isFiniteNumber(b.end)) fail(`Invalid busy interval bounds: ${b.start}–${b.end}`);
  }
}

function ruleAppliesOn(rule: WeeklyRule, day: LocalDayInfo): boolean {
  if (rule.weekday !== day.weekday) return false;
  if (rule.validFrom && day.date < rule.validFrom) return false;
  if (rule.validUntil && day.date > rule.validUntil) return false;
  return true;
}

function appliesToStaff(e: AvailabilityException, staffId: string): boolean {
  return e.staffId === null || e.staffId === undefined || e.staffId === staffId;
}

/**
 * Converts local minutes of one day to instants, with a per-day fast path (no offset change that
 * day) and a memo for DST days.
 */
class DayClock {
  private readonly memo = new Map<number, number | null>();

  constructor(
    private readonly timezone: string,
    readonly day: LocalDayInfo,
  ) {}

  /** Instant of a local start time; null in a spring-forward gap; earlier instant when repeated. */
  startInstant(minute: number): number | null {
    if (this.day.uniform) return this.day.start + minute * MINUTE_MS;
    let v = this.memo.get(minute);
    if (v === undefined) {
      v = localWallClockToInstant(this.timezone, this.day.date, minute);
      this.memo.set(minute, v);
    }
    return v;
  }

  /** Instant of a window boundary; a time inside a gap resolves to the transition instant. */
  boundaryInstant(minute: number): number {
    if (this.day.uniform) return this.day.start + minute * MINUTE_MS;
    return localBoundaryToInstant(this.timezone, this.day.date, minute);
  }
}

/**
 * Computes the bookable slots of `input.service` for `input.days` local days from `input.fromDate`.
 *
 * - Eligible staff and the needed resource kind come from the business-model strategy.
 * - Working windows per staff member = weekly rules of each local day (validFrom/validUntil
 *   inclusive local dates) ∪ `extra_availability` exceptions, minus time_off/holiday/closure
 *   exceptions (staffId null = everyone). Touching/overlapping windows are merged.
 * - Candidate starts step by `policy.slotStepMinutes` in LOCAL wall-clock time from each rule's
 *   start; non-existent local times (spring forward) are skipped; a repeated local time (fall back)
 *   is offered once, at its earlier instant. Extra-availability windows step in absolute time from
 *   their own start. Only starts inside the queried local days are offered.
 * - A slot [start, start + duration) must lie inside one working window; its blocked range
 *   [start − bufferBefore, end + bufferAfter) must not overlap the staff member's busy intervals
 *   (buffers may stick out of working hours).
 * - Slots with start < now + minNotice or start >= now + horizonDays (calendar days in the zone)
 *   are dropped.
 * - When a resource kind is needed, the first resource of that kind (input order) that is not busy
 *   during the blocked range is assigned; without one the slot is dropped.
 * - Output is sorted by start, then staffId; (start, staffId) pairs are unique.
 *
 * Throws RangeError for invalid input (time zone, fromDate, days outside 1…31, non-positive
 * duration or step, malformed rules/exceptions).
 */
export function computeSlots(input: AvailabilityInput): Slot[] {
  validateInput(input);
  const { timezone, policy, service } = input;
  const strategy = getStrategy(input.businessModel);

  const stepMin = policy.slotStepMinutes;
  const stepMs = stepMin * MINUTE_MS;
  const durationMs = service.durationMinutes * MINUTE_MS;
  const beforeMs = (service.bufferBeforeMinutes ?? 0) * MINUTE_MS;
  const afterMs = (service.bufferAfterMinutes ?? 0) * MINUTE_MS;

  const range = localDateRange(timezone, input.fromDate, input.days);
  const earliest = Math.max(range.start, input.now + policy.minNoticeMinutes * MINUTE_MS);
  const horizonEnd = DateTime.fromMillis(input.now, { zone: timezone }).plus({ days: policy.horizonDays }).toMillis();
  const latestExclusive = Math.min(range.end, horizonEnd);
  if (earliest >= latestExclusive) return [];

  // Eligible staff, deduplicated by id (first occurrence wins).
  const seenStaff = new Set<string>();
  const staff = strategy.eligibleStaff(service, input.staff).filter((s) => {
    if (seenStaff.has(s.id)) return false;
    seenStaff.add(s.id);
    return true;
  });
  if (staff.length === 0) return [];

  // Resources of the needed kind, each with its busy index.
  const resourceKind = strategy.resourceKindFor(service);
  let resourceIndexes: { id: string; busy: OverlapIndex }[] = [];
  if (resourceKind !== null) {
    const byResource = new Map<string, Interval[]>();
    for (const b of input.busy) {
      if (b.resourceId === null || b.resourceId === undefined) continue;
      let list = byResource.get(b.resourceId);
      if (!list) byResource.set(b.resourceId, (list = []));
      list.push(b);
    }
    const seenRes = new Set<string>();
    resourceIndexes = input.resources
      .filter((r) => r.kind === resourceKind && !seenRes.has(r.id) && (seenRes.add(r.id), true))
      .map((r) => ({ id: r.id, busy: new OverlapIndex(byResource.get(r.id) ?? []) }));
    if (resourceIndexes.length === 0) return [];
  }

  // Busy intervals per staff member.
  const busyByStaff = new Map<string, Interval[]>();
  for (const b of input.busy) {
    if (b.staffId === null || b.staffId === undefined || !seenStaff.has(b.staffId)) continue;
    let list = busyByStaff.get(b.staffId);
    if (!list) busyByStaff.set(b.staffId, (list = []));
    list.push(b);
  }

  // Local days: the queried ones plus one on each side, so windows crossing midnight at the range
  // edges are complete for the containment check (candidates only come from the queried days).
  const clocks = localDayInfos(timezone, addLocalDays(input.fromDate, -1), input.days + 2).map(
    (day) => new DayClock(timezone, day),
  );

  const rulesByStaff = new Map<string, WeeklyRule[]>();
  for (const r of input.rules) {
    if (!seenStaff.has(r.staffId)) continue;
    let list = rulesByStaff.get(r.staffId);
    if (!list) rulesByStaff.set(r.staffId, (list = []));
    list.push(r);
  }

  const extras = input.exceptions.filter((e) => e.kind === "extra_availability" && e.end > e.start);
  const removals = input.exceptions.filter((e) => e.kind !== "extra_availability" && e.end > e.start);

  const out: Slot[] = [];
  for (const member of staff) {
    const rules = rulesByStaff.get(member.id) ?? [];
    const myExtras = extras.filter((e) => appliesToStaff(e, member.id));
    const myRemovals = removals.filter((e) => appliesToStaff(e, member.id));

    // 1. Rule windows (instants) and wall-clock candidate starts.
    const rawWindows: Interval[] = [];
    const candidates: number[] = [];
    for (let d = 0; d < clocks.length; d++) {
      const clock = clocks[d] as DayClock;
      const queried = d >= 1 && d <= input.days;
      for (const rule of rules) {
        if (!ruleAppliesOn(rule, clock.day)) continue;
        const wStart = clock.boundaryInstant(rule.startMinute);
        const wEnd = clock.boundaryInstant(rule.endMinute);
        if (wEnd <= wStart) continue;
        rawWindows.push({ start: wStart, end: wEnd });
        if (!queried) continue;
        for (let m = rule.startMinute; m < rule.endMinute; m += stepMin) {
          const t = clock.startInstant(m);
          if (t !== null) candidates.push(t);
        }
      }
    }

    // 2. Extra availability: extra working time, candidates step from the exception's own start.
    for (const e of myExtras) {
      rawWindows.push({ start: e.start, end: e.end });
      const from = Math.max(e.start, earliest);
      let k = Math.ceil((from - e.start) / stepMs);
      for (let t = e.start + k * stepMs; t < e.end && t < latestExclusive; t = e.start + ++k * stepMs) {
        candidates.push(t);
      }
    }
    if (candidates.length === 0) continue;

    // 3. Working windows minus removals; then test each unique candidate.
    const windows = subtractIntervals(mergeIntervals(rawWindows), myRemovals);
    if (windows.length === 0) continue;
    const busy = new OverlapIndex(busyByStaff.get(member.id) ?? []);

    candidates.sort((a, b) => a - b);
    let prev = NaN;
    for (const start of candidates) {
      if (start === prev) continue;
      prev = start;
      if (start < earliest || start >= latestExclusive) continue;
      const end = start + durationMs;
      if (!containedInOne(windows, start, end)) continue;
      const blockedStart = start - beforeMs;
      const blockedEnd = end + afterMs;
      if (busy.overlaps(blockedStart, blockedEnd)) continue;
      if (resourceKind !== null) {
        const free = resourceIndexes.find((r) => !r.busy.overlaps(blockedStart, blockedEnd));
        if (!free) continue;
        out.push({ start, end, staffId: member.id, resourceId: free.id });
      } else {
        out.push({ start, end, staffId: member.id });
      }
    }
  }

  out.sort((a, b) => a.start - b.start || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
  return out;
}
