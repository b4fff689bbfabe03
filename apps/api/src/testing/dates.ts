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

/** A local date at least `days` ahead on one of `weekdays`, as a DateTime at its start (voice tests say days aloud). */
export const dayAhead = (days: number, weekdays = [2, 3, 4]) => {
  let d = DateTime.now().setZone(ZONE).startOf("day").plus({ days });
  while (!weekdays.includes(d.weekday)) d = d.plus({ days: 1 });
  return d;
};

/** The instant of "HH:mm" on that day, ISO with the zone's offset. */
export const isoAt = (d: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(":").map(Number);
  return d.set({ hour, minute }).toISO({ suppressMilliseconds: true })!;
};

/** The day as the German voice agent says it ("Dienstag, 8. Dezember", with the year when not this one). */
export const spokenDay = (d: DateTime) => d.setLocale("de").toFormat("cccc, d. LLLL") + (d.year === DateTime.now().setZone(ZONE).year ? "" : d.toFormat(" yyyy"));

