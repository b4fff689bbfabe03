import { DateTime } from "luxon";

/** Test dates in the demo companies' zone. */
export const ZONE = "Europe/Berlin";

/** The first local date at least `days` ahead that falls on one of `weekdays` (1 = Monday). */
export const nextDate = (days: number, weekdays = [2, 3, 4]) => {
  let d = DateTime.now().setZone(ZONE).plus({ days });
  while (!weekdays.includes(d.weekday)) d = d.plus({ days: 1 });
  return d.toISODate()!;
};

/** An ISO instant with the zone's offset for a local date and "HH:mm". */
export const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: ZONE }).toISO({ suppressMilliseconds: true })!;
