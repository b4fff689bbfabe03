/** Dates as a German desk types and reads them ("27.11.2026"), to and from "YYYY-MM-DD". Pure. */
import { DateTime } from "luxon";

/** "YYYY-MM-DD" from what was typed, or null. */
export const parseDeskDate = (text: string, zone: string, now = Date.now()): string | null => {
  const value = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const dotted = /^(\d{1,2})[./](\d{1,2})[./]?(\d{2}|\d{4})?$/.exec(value);
  let date: DateTime | null = null;
  if (iso) date = DateTime.fromObject({ year: +iso[1]!, month: +iso[2]!, day: +iso[3]! }, { zone });
  else if (dotted) {
    const thisYear = DateTime.fromMillis(now, { zone }).year;
    const year = dotted[3] ? (dotted[3].length === 2 ? 2000 + +dotted[3] : +dotted[3]) : thisYear;
    date = DateTime.fromObject({ year, month: +dotted[2]!, day: +dotted[1]! }, { zone });
  }
  return date?.isValid ? date.toISODate() : null;
};

export const formatDeskDate = (date: string) => {
  const [y, m, d] = date.split("-");
  return `${d}.${m}.${y}`;
};
