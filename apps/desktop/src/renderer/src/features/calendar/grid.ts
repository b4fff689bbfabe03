/**
 * The day grid, built from instants: rows are consecutive 15-minute steps of absolute time from a
 * local start to a local end in the branch's zone. On the spring-forward day 02:00–03:00 simply has no
 * rows; on the fall-back day 02:00–03:00 has two sets of rows (labelled with their offsets). An
 * appointment's position is its distance in real minutes from the grid's start, so it is right on
 * both days. Pure (Luxon only): unit-tested in Node.
 */
import { DateTime } from "luxon";

export const STEP_MINUTES = 15;
const STEP_MS = STEP_MINUTES * 60_000;

export interface GridRow {
  /** Epoch ms of the row's start. */
  start: number;
  end: number;
  /** Local wall-clock "HH:mm". */
  label: string;
  /** True on full hours (the axis labels those). */
  isHour: boolean;
  /** Set when the same local time occurs twice that day (fall-back): "+02:00" / "+01:00". */
  offsetLabel: string | null;
}

export interface DayGrid {
  date: string;
  zone: string;
  /** Local midnight and the next local midnight (23, 24 or 25 hours apart). */
  dayStart: number;
  dayEnd: number;
  start: number;
  end: number;
  rows: GridRow[];
}

export interface TimeRange {
  start: number;
  end: number;
}

/** Local midnight of `date` and of the day after, as instants. */
export const dayBounds = (date: string, zone: string): TimeRange => {
  const start = DateTime.fromISO(date, { zone }).startOf("day");
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
};

const floorToStep = (ms: number, origin: number) => origin + Math.floor((ms - origin) / STEP_MS) * STEP_MS;
const ceilToStep = (ms: number, origin: number) => origin + Math.ceil((ms - origin) / STEP_MS) * STEP_MS;

/**
 * Rows from `fromHour` to `toHour` local time (default 07–21), widened to include every range in
 * `include` (appointments outside the usual hours), never beyond the day itself.
 */
export const buildDayGrid = (opts: { date: string; zone: string; fromHour?: number; toHour?: number; include?: TimeRange[] }): DayGrid => {
  const { date, zone } = opts;
  const day = dayBounds(date, zone);
  const local = DateTime.fromISO(date, { zone });
  // Hours are wall-clock: 07:00 local is found through Luxon, which resolves gaps and overlaps.
  let start = local.set({ hour: opts.fromHour ?? 7 }).toMillis();
  let end = (opts.toHour ?? 21) >= 24 ? day.end : local.set({ hour: opts.toHour ?? 21 }).toMillis();
  for (const range of opts.include ?? []) {
    if (range.end <= day.start || range.start >= day.end) continue;
    start = Math.min(start, range.start);
    end = Math.max(end, range.end);
  }
  start = Math.max(day.start, floorToStep(start, day.start));
  end = Math.min(day.end, ceilToStep(end, day.start));

  const rows: GridRow[] = [];
  const seen = new Map<string, number>();
  for (let t = start; t < end; t += STEP_MS) {
    const dt = DateTime.fromMillis(t, { zone });
    const label = dt.toFormat("HH:mm");
    seen.set(label, (seen.get(label) ?? 0) + 1);
    rows.push({ start: t, end: t + STEP_MS, label, isHour: dt.minute === 0, offsetLabel: null });
  }
  for (const row of rows) {
    if ((seen.get(row.label) ?? 0) > 1) row.offsetLabel = DateTime.fromMillis(row.start, { zone }).toFormat("ZZ");
  }
  return { date, zone, dayStart: day.start, dayEnd: day.end, start, end, rows };
};

/** Vertical position in rows (fractional) of an instant, clamped to the grid. */
export const rowOffset = (grid: DayGrid, instant: number) => (Math.min(Math.max(instant, grid.start), grid.end) - grid.start) / STEP_MS;

/** The row index holding an instant, or -1 outside the grid. */
export const rowIndexAt = (grid: DayGrid, instant: number) => (instant < grid.start || instant >= grid.end ? -1 : Math.floor((instant - grid.start) / STEP_MS));

/** The local date ("YYYY-MM-DD") of an instant in a zone. */
export const localDateOf = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone }).toISODate()!;

export const todayIn = (zone: string, now = Date.now()) => localDateOf(now, zone);

export const addDays = (date: string, days: number, zone: string) => DateTime.fromISO(date, { zone }).plus({ days }).toISODate()!;

/** Monday to Sunday of the ISO week holding `date`. */
export const weekOf = (date: string, zone: string): string[] => {
  const monday = DateTime.fromISO(date, { zone }).startOf("week");
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate()!);
};

export const isoWeekNumber = (date: string, zone: string) => DateTime.fromISO(date, { zone }).weekNumber;

/** An instant as ISO-8601 with the zone's offset (what the API takes). */
export const zonedIso = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true })!;

/** `[from, to)` of a local day as ISO instants with offset: the range of appointments.list. */
export const dayRangeIso = (date: string, zone: string) => {
  const { start, end } = dayBounds(date, zone);
  return { from: zonedIso(start, zone), to: zonedIso(end, zone) };
};
