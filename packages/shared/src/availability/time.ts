/**
 * Time-zone helpers for the availability computation. All zone arithmetic goes through Luxon;
 * instants are epoch milliseconds, local dates are "YYYY-MM-DD" strings, local times are minutes
 * after local midnight. Just over 300 lines on purpose: every function shares the zone and date
 * checks and the per-zone caches below, and each is small; split, they would import each other.
 */
import { DateTime, IANAZone } from "luxon";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

// IANAZone.isValidZone builds an Intl.DateTimeFormat per call (slow); remember the answers for
// the handful of zones a deployment uses. Bounded so garbage input cannot grow it without limit.
const zoneValidity = new Map<string, boolean>();
const localDateValidity = new Map<string, boolean>();
const CACHE_LIMIT = 5_000;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** True when `tz` is an IANA time-zone name the runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || tz.length === 0) return false;
  return zoneValidity.get(tz) ?? remember(zoneValidity, tz, IANAZone.isValidZone(tz));
}

/** True when `s` is a real calendar date written exactly as "YYYY-MM-DD". */
export function isValidLocalDate(s: unknown): s is string {
  if (typeof s !== "string" || !LOCAL_DATE_RE.test(s)) return false;
  return (
    localDateValidity.get(s) ?? remember(localDateValidity, s, DateTime.fromISO(s, { zone: "utc" }).isValid)
  );
}

function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`Invalid time zone: ${JSON.stringify(tz)}`);
}

function assertLocalDate(date: string, what = "date"): void {
  if (!isValidLocalDate(date)) {
    throw new RangeError(`Invalid ${what}: ${JSON.stringify(date)} (expected a real date as YYYY-MM-DD)`);
  }
}

/** The local date `days` calendar days after `date` ("YYYY-MM-DD"; zone-independent). */
export function addLocalDays(date: string, days: number): string {
  assertLocalDate(date);
  if (!Number.isInteger(days)) throw new RangeError(`Invalid days: ${days} (expected an integer)`);
  // Calendar arithmetic needs no zone: UTC dates (Date.UTC normalises day overflow), no Luxon object.
  const moved = new Date(utcMidnightOf(date) + days * DAY_MS);
  if (Number.isNaN(moved.getTime())) throw new RangeError(`Invalid date: ${JSON.stringify(date)} + ${days} days`);
  return moved.toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 UTC on a (valid) "YYYY-MM-DD". */
function utcMidnightOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekdayOf(date: string): number {
  assertLocalDate(date);
  return new Date(utcMidnightOf(date)).getUTCDay() || 7;
}

/**
 * The first instant of a local day. Normally local midnight; in a zone whose clocks jump over
 * midnight it is the first instant that exists on that day.
 */
function startOfLocalDay(timezone: string, date: string): DateTime {
  return DateTime.fromISO(date, { zone: timezone }).startOf("day");
}

/**
 * Epoch ms of local midnight of `fromDate` (inclusive) to local midnight after the last of `days`
 * local days (exclusive), in `timezone`. Correct across DST (a range can be 23 or 25 hours per day).
 */
export function localDateRange(timezone: string, fromDate: string, days: number): { start: number; end: number } {
  assertTimeZone(timezone);
  assertLocalDate(fromDate, "fromDate");
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`Invalid days: ${days} (expected an integer >= 1)`);
  return { start: cachedDayInfo(timezone, fromDate).start, end: cachedDayInfo(timezone, addLocalDays(fromDate, days)).start };
}

/** ISO-8601 with the zone's offset and without milliseconds, e.g. "2026-03-30T09:00:00+02:00". */
export function toZonedIso(ms: number, timezone: string): string {
  return zonedIsoFormatter(timezone)(ms);
}

// Zone offsets only change at transitions, which fall on quarter hours: one Luxon (Intl) lookup per
// zone and quarter hour serves every instant in it. Formatting thousands of slots was the hot spot of
// an availability answer, so each zone gets one formatter with a numeric cache and ready suffixes.
const QUARTER_HOUR_MS = 15 * 60_000;
const formatters = new Map<string, (ms: number) => string>();

const offsetSuffix = (offset: number, timezone: string) => {
  if (offset === 0 && timezone === "UTC") return "Z";
  const abs = Math.abs(offset);
  return `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
};

/** A function formatting instants as ISO-8601 with `timezone`'s offset, seconds precision. */
export function zonedIsoFormatter(timezone: string): (ms: number) => string {
  let format = formatters.get(timezone);
  if (format) return format;
  assertTimeZone(timezone);
  const zone = IANAZone.create(timezone);
  const offsets = new Map<number, number>();
  const suffixes = new Map<number, string>();
  // Slots of a team share their starts and ends: most instants were formatted a moment ago.
  const recent = new Map<number, string>();
  format = (ms: number) => {
    const known = recent.get(ms);
    if (known !== undefined) return known;
    if (!Number.isFinite(ms)) throw new RangeError(`Invalid instant: ${ms}`);
    const seconds = Math.floor(ms / 1000) * 1000;
    const bucket = Math.floor(seconds / QUARTER_HOUR_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = zone.offset(bucket * QUARTER_HOUR_MS);
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    let suffix = suffixes.get(offset);
    if (suffix === undefined) suffixes.set(offset, (suffix = offsetSuffix(offset, timezone)));
    // Shift by the offset and let Date format the wall clock: no Intl call per instant.
    const text = new Date(seconds + offset * 60_000).toISOString().slice(0, 19) + suffix;
    if (recent.size >= 50_000) recent.clear();
    recent.set(ms, text);
    return text;
  };
  formatters.set(timezone, format);
  return format;
}

const INSTANT_TEXT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/**
 * `value` (JSON) with every instant written in it (e.g. PostgreSQL's "2026-03-30T07:00:00+00:00" inside
 * a jsonb column) re-written with `timezone`'s offset: the same instants, in the answer's one format.
 * Keys in `keep` are left verbatim (a record of what an outside service was sent).
 */
export function rezoneInstants<T>(value: T, timezone: string, keep: readonly string[] = []): T {
  const format = zonedIsoFormatter(timezone);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return INSTANT_TEXT.test(v) && !Number.isNaN(Date.parse(v)) ? format(Date.parse(v)) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keep.includes(k) ? x : walk(x)]));
    return v;
  };
  return walk(value) as T;
}

// Instants whose ISO text has a four-digit year (a day's margin for any zone's offset).
const FIRST_FOUR_DIGIT_YEAR_MS = Date.parse("0000-01-02T00:00:00Z");
const LAST_FOUR_DIGIT_YEAR_MS = Date.parse("9999-12-30T00:00:00Z");

/** The local date ("YYYY-MM-DD") of an instant in `timezone`. */
export function localDateOf(ms: number, timezone: string): string {
  // The zone's wall clock at `ms` (the same offset cache as toZonedIso): no Intl call per instant.
  if (ms >= FIRST_FOUR_DIGIT_YEAR_MS && ms <= LAST_FOUR_DIGIT_YEAR_MS) return zonedIsoFormatter(timezone)(ms).slice(0, 10);
  assertTimeZone(timezone);
  const dt = DateTime.fromMillis(ms, { zone: timezone });
  if (!dt.isValid) throw new RangeError(`Invalid instant: ${ms}`);
  return dt.toISODate() as string;
}

/** Splits minuteOfDay (may be >= 1440, e.g. 1440 = next midnight) into a local date and time. */
function normalizeWallClock(date: string, minuteOfDay: number): { date: string; hour: number; minute: number } {
  if (!Number.isFinite(minuteOfDay) || minuteOfDay < 0) {
    throw new RangeError(`Invalid minuteOfDay: ${minuteOfDay}`);
  }
  const whole = Math.floor(minuteOfDay);
  const dayShift = Math.floor(whole / 1440);
  const rest = whole - dayShift * 1440;
  return {
    date: dayShift === 0 ? date : addLocalDays(date, dayShift),
    hour: Math.floor(rest / 60),
    minute: rest % 60,
  };
}

/** Every instant whose local wall clock in `timezone` reads `date` + `minuteOfDay` (0, 1 or 2). */
export function localWallClockInstants(timezone: string, date: string, minuteOfDay: number): number[] {
  assertTimeZone(timezone);
  assertLocalDate(date);
  const wc = normalizeWallClock(date, minuteOfDay);
  const extraMs = (minuteOfDay - Math.floor(minuteOfDay)) * MINUTE_MS;
  const [year, month, day] = wc.date.split("-").map(Number) as [number, number, number];
  const dt = DateTime.fromObject({ year, month, day, hour: wc.hour, minute: wc.minute }, { zone: timezone });
  // Luxon moves a non-existent local time (spring-forward gap) forward: detect that by the round trip.
  if (!dt.isValid || dt.day !== day || dt.hour !== wc.hour || dt.minute !== wc.minute) return [];
  return dt
    .getPossibleOffsets()
    .map((d) => d.toMillis() + extraMs)
    .sort((a, b) => a - b);
}

/**
 * The instant at which the local wall clock in `timezone` reads `date` + `minuteOfDay`
 * (minuteOfDay 0…1440; 1440 = midnight after `date`).
 *
 * - Returns null when that local time does not exist (spring-forward gap, e.g. 02:30 on
 *   2026-03-29 in Europe/Berlin).
 * - When the local time occurs twice (fall-back repeat, e.g. 02:30 on 2026-10-25 in
 *   Europe/Berlin), returns the EARLIER instant (the one still on summer time, +02:00).
 */
export function localWallClockToInstant(timezone: string, date: string, minuteOfDay: number): number | null {
  const all = localWallClockInstants(timezone, date, minuteOfDay);
  return all.length === 0 ? null : (all[0] as number);
}

/**
 * Like localWallClockToInstant, but never null: a local time inside a spring-forward gap resolves
 * to the transition instant (the first instant whose local wall clock is later than the requested
 * time, i.e. 03:00 for a requested 02:30 in Europe/Berlin). Used for working-window boundaries.
 */
export function localBoundaryToInstant(timezone: string, date: string, minuteOfDay: number): number {
  const exact = localWallClockToInstant(timezone, date, minuteOfDay);
  if (exact !== null) return exact;
  const zone = IANAZone.create(timezone);
  const wc = normalizeWallClock(date, minuteOfDay);
  // Wall-clock reading expressed as if it were UTC, for comparing local readings.
  const naive =
    DateTime.fromISO(wc.date, { zone: "utc" }).toMillis() + (wc.hour * 60 + wc.minute) * MINUTE_MS +
    (minuteOfDay - Math.floor(minuteOfDay)) * MINUTE_MS;
  const localReading = (t: number) => t + zone.offset(t) * MINUTE_MS;
  // Search in [naive - 1 day, naive + 1 day] for the first instant whose local reading >= naive;
  // local readings are monotone around a single spring-forward transition.
  let lo = naive - DAY_MS; // reading < naive
  let hi = naive + DAY_MS; // reading >= naive
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localReading(mid) >= naive) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Per-local-day facts that make repeated wall-clock conversions cheap. */
export interface LocalDayInfo {
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** First instant of the day (normally local midnight). */
  start: number;
  /** First instant of the next day. */
  end: number;
  /**
   * True when the day has no offset change: then local minute m is exactly start + m minutes for
   * every m in 0…1440.
   */
  uniform: boolean;
}

function dayInfoFrom(start: DateTime, next: DateTime): LocalDayInfo {
  const startMs = start.toMillis();
  const endMs = next.toMillis();
  return {
    date: start.toISODate() as string,
    weekday: start.weekday,
    start: startMs,
    end: endMs,
    // A day of exactly 24 h that starts and ends at 00:00 with the same offset has no transition
    // (two transitions cancelling out within one local day do not occur in the tz database).
    uniform:
      start.hour === 0 &&
      start.minute === 0 &&
      next.hour === 0 &&
      next.minute === 0 &&
      endMs - startMs === DAY_MS &&
      start.offset === next.offset,
  };
}

/** Facts about one local day (see LocalDayInfo). */
export function localDayInfo(timezone: string, date: string): LocalDayInfo {
  const [info] = localDayInfos(timezone, date, 1);
  return info as LocalDayInfo;
}

/** LocalDayInfo for `count` consecutive local days starting at `fromDate`. */
export function localDayInfos(timezone: string, fromDate: string, count: number): LocalDayInfo[] {
  assertTimeZone(timezone);
  assertLocalDate(fromDate, "fromDate");
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Invalid day count: ${count}`);
  const out: LocalDayInfo[] = [];
  for (let i = 0; i < count; i++) out.push(cachedDayInfo(timezone, i === 0 ? fromDate : addLocalDays(fromDate, i)));
  return out;
}

// A local day's facts never change (the tz database is part of the runtime): every availability
// computation and booking recheck asks for the same few days, so each (zone, date) is worked out with
// Luxon once. Entries are frozen (shared between callers); the map is bounded like the caches above.
const dayInfos = new Map<string, LocalDayInfo>();

function cachedDayInfo(timezone: string, date: string): LocalDayInfo {
  const key = `${timezone}|${date}`;
  const known = dayInfos.get(key);
  if (known) return known;
  const start = startOfLocalDay(timezone, date);
  // Calendar-day arithmetic in the zone; startOf("day") only matters when a day did not start
  // at 00:00 (zones whose clocks can skip midnight).
  let next = start.plus({ days: 1 });
  if (next.hour !== 0 || next.minute !== 0 || next.second !== 0) next = next.startOf("day");
  return remember(dayInfos, key, Object.freeze(dayInfoFrom(start, next)));
}
