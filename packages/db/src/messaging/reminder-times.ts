/**
 * When a reminder goes out. An offset of whole days counts in local calendar days ("24 h before" a
 * 10:00 appointment is 10:00 the day before, also across a DST change); the rest in minutes. A reminder
 * due in quiet hours waits for 08:00, and is dropped when that is not before the appointment.
 */
import { DateTime } from "luxon";
import { outsideQuietHours } from "./quiet-hours.js";

export const DEFAULT_REMINDER_OFFSETS_MINUTES = [1440, 120] as const;
const DAY_MINUTES = 1440;

/** The nominal instant `offsetMinutes` before `startMs`, days as local calendar days. */
export const nominalReminderAt = (startMs: number, offsetMinutes: number, zone: string): number =>
  DateTime.fromMillis(startMs, { zone })
    .minus({ days: Math.floor(offsetMinutes / DAY_MINUTES) })
    .minus({ minutes: offsetMinutes % DAY_MINUTES })
    .toMillis();

/** When the reminder is sent (quiet hours respected), or null when it would not come before the start. */
export const reminderSendAt = (startMs: number, offsetMinutes: number, zone: string): number | null => {
  const at = outsideQuietHours(nominalReminderAt(startMs, offsetMinutes, zone), zone);
  return at < startMs ? at : null;
};

export interface ReminderCandidate {
  startMs: number;
  zone: string;
  offsetsMinutes: readonly number[];
  /** When the appointment got its current time (booked or last moved). */
  scheduledAtMs: number;
}

/**
 * The reminder due at `now`, if any: of the offsets whose send time has come (and whose nominal time is
 * after the appointment got its time: nobody is reminded of what they booked an hour ago), the closest
 * to the start. Earlier ones that were missed (a worker down for hours) are not sent late on top, and a
 * reminder later than half its offset (a "24 h before" at 18:00 for 9:00) is not sent at all.
 */
export const dueReminder = (c: ReminderCandidate, now: number): { offsetMinutes: number; sendAt: number } | null => {
  if (now >= c.startMs) return null;
  let due: { offsetMinutes: number; sendAt: number } | null = null;
  for (const offsetMinutes of c.offsetsMinutes) {
    if (!Number.isInteger(offsetMinutes) || offsetMinutes <= 0) continue;
    if (nominalReminderAt(c.startMs, offsetMinutes, c.zone) <= c.scheduledAtMs) continue;
    const sendAt = reminderSendAt(c.startMs, offsetMinutes, c.zone);
    if (sendAt === null || sendAt > now || now - sendAt > (offsetMinutes * 60_000) / 2) continue;
    if (!due || offsetMinutes < due.offsetMinutes) due = { offsetMinutes, sendAt };
  }
  return due;
};
