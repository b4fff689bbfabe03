/**
 * Dates and times as an LLM passes them: `YYYY-MM-DD` (also `1.12.2026`, `1.12.`, "heute", "morgen",
 * "Dienstag"), times `14:30`, `14.30`, `14 Uhr`, `14 Uhr 30`, `2:30 pm`, and starts as ISO-8601 with
 * offset (without one, the branch's wall clock). Local dates and times are read in the branch's zone;
 * a time that the clocks skip (spring forward) is refused, a time that occurs twice (fall back) is the
 * earlier one.
 */
import { isValidLocalDate, localDateOf, localWallClockToInstant } from "@askproai/shared";
import { DateTime } from "luxon";

export type WhenProblem = "bad_date" | "bad_time" | "no_such_local_time";
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: WhenProblem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(problem: WhenProblem): Parsed<T> => ({ ok: false, problem });

const RELATIVE_DAYS: Record<string, number> = { heute: 0, today: 0, morgen: 1, tomorrow: 1, übermorgen: 2, uebermorgen: 2 };
const WEEKDAYS: Record<string, number> = {
  montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, samstag: 6, sonnabend: 6, sonntag: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};

/** A local date ("YYYY-MM-DD") in `zone`, from what the LLM passed. */
export const parseLocalDate = (raw: string, zone: string, now: number): Parsed<string> => {
  const text = raw.trim().toLowerCase();
  const today = DateTime.fromMillis(now, { zone });
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?$/.exec(text);
  if (iso) {
    // An ISO instant passed as a date: its day in the branch's zone.
    if (text.length > 10 && /[t ]/.test(text[10] ?? "")) {
      const instant = parseInstant(raw, zone);
      return instant.ok ? ok(localDateOf(instant.value, zone)) : fail("bad_date");
    }
    const date = `${iso[1]}-${iso[2]!.padStart(2, "0")}-${iso[3]!.padStart(2, "0")}`;
    return isValidLocalDate(date) ? ok(date) : fail("bad_date");
  }
  const german = /^(\d{1,2})\.\s*(\d{1,2})\.(?:\s*(\d{2}|\d{4}))?$/.exec(text);
  if (german) {
    const day = Number(german[1]);
    const month = Number(german[2]);
    let year = german[3] ? Number(german[3].length === 2 ? `20${german[3]}` : german[3]) : today.year;
    let date = DateTime.fromObject({ year, month, day }, { zone });
    // "1.12." in December means this year, in January of next year means… next December: the next such day.
    if (!german[3] && date.isValid && date.startOf("day") < today.startOf("day")) date = DateTime.fromObject({ year: ++year, month, day }, { zone });
    return date.isValid ? ok(date.toISODate()!) : fail("bad_date");
  }
  const word = text.replace(/^(am|on|this|next|nächsten|naechsten|kommenden)\s+/, "");
  const relative = RELATIVE_DAYS[word];
  if (relative !== undefined) return ok(today.plus({ days: relative }).toISODate()!);
  const weekday = WEEKDAYS[word];
  if (weekday !== undefined) return ok(today.plus({ days: (weekday - today.weekday + 7) % 7 }).toISODate()!);
  return fail("bad_date");
};

/** Minutes after local midnight, from "14:30", "14.30", "14 Uhr", "14 Uhr 30", "14h", "2:30 pm", "9". */
export const parseTimeOfDay = (raw: string): Parsed<number> => {
  const text = raw.trim().toLowerCase().replace(/\s+/g, " ");
  const match = /^(?:um |at )?(\d{1,2})(?:\s*[:.h]\s*(\d{2})|\s*uhr(?:\s*(\d{1,2}))?)?\s*(uhr|h|am|pm|a\.m\.|p\.m\.)?$/.exec(text);
  if (!match) {
    // An ISO instant or a full "HH:MM:SS".
    const clock = /^(?:\d{4}-\d{2}-\d{2}t)?(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$/.exec(text);
    return clock ? minutesOf(Number(clock[1]), Number(clock[2])) : fail("bad_time");
  }
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? match[3] ?? 0);
  const suffix = match[4];
  if (suffix === "pm" || suffix === "p.m.") {
    if (hour < 1 || hour > 12) return fail("bad_time");
    hour = hour === 12 ? 12 : hour + 12;
  } else if (suffix === "am" || suffix === "a.m.") {
    if (hour < 1 || hour > 12) return fail("bad_time");
    hour = hour === 12 ? 0 : hour;
  }
  return minutesOf(hour, minute);
};

const minutesOf = (hour: number, minute: number): Parsed<number> =>
  hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 ? ok(hour * 60 + minute) : fail("bad_time");

const OFFSET = /(z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 start; with an offset it is that instant, without one the branch's wall clock. */
export const parseInstant = (raw: string, zone: string): Parsed<number> => {
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/i.test(text)) return fail("bad_date");
  if (OFFSET.test(text)) {
    const dt = DateTime.fromISO(text.replace(" ", "T"), { setZone: true });
    return dt.isValid ? ok(dt.toMillis()) : fail("bad_date");
  }
  const date = parseLocalDate(text.slice(0, 10), zone, 0);
  const time = parseTimeOfDay(text.slice(11));
  if (!date.ok) return date;
  if (!time.ok) return time;
  return atLocal(date.value, time.value, zone);
};

/** The instant of a local date and time in `zone`; refused when the clocks skip that time. */
export const atLocal = (date: string, minuteOfDay: number, zone: string): Parsed<number> => {
  const instant = localWallClockToInstant(zone, date, minuteOfDay);
  return instant === null ? fail("no_such_local_time") : ok(instant);
};

export interface Wish {
  /** The local day asked for, if any. */
  date: string | null;
  /** The exact start asked for, when a time was given too. */
  start: number | null;
}

/** What a caller asked for from `start` or `date` + `time`; a time without a date means today. */
export const parseWish = (args: { start?: string; date?: string; time?: string }, zone: string, now: number): Parsed<Wish> => {
  if (args.start) {
    const start = parseInstant(args.start, zone);
    return start.ok ? ok({ date: localDateOf(start.value, zone), start: start.value }) : start;
  }
  const date = args.date ? parseLocalDate(args.date, zone, now) : null;
  if (date && !date.ok) return date;
  const day = date?.value ?? (args.time ? localDateOf(now, zone) : null);
  if (!args.time || day === null) return ok({ date: day, start: null });
  const time = parseTimeOfDay(args.time);
  if (!time.ok) return time;
  const start = atLocal(day, time.value, zone);
  return start.ok ? ok({ date: day, start: start.value }) : start;
};
