/**
 * Quiet hours: no reminder and no waitlist offer reaches a customer between 21:00 and 08:00 in the
 * branch's zone. A confirmation of what the customer has just booked is not held back.
 */
import { DateTime } from "luxon";
import { localMinuteOfDay } from "./local-time.js";

export const QUIET_FROM_MINUTE = 21 * 60;
export const QUIET_UNTIL_MINUTE = 8 * 60;

export const isQuietTime = (instantMs: number, zone: string) => {
  const minute = localMinuteOfDay(instantMs, zone);
  return minute >= QUIET_FROM_MINUTE || minute < QUIET_UNTIL_MINUTE;
};

/** The instant itself outside quiet hours, else the next 08:00 local (08:00 exists on every DST day). */
export const outsideQuietHours = (instantMs: number, zone: string): number => {
  if (!isQuietTime(instantMs, zone)) return instantMs;
  const t = DateTime.fromMillis(instantMs, { zone });
  const morning = t.set({ hour: QUIET_UNTIL_MINUTE / 60, minute: 0, second: 0, millisecond: 0 });
  return (localMinuteOfDay(instantMs, zone) < QUIET_UNTIL_MINUTE ? morning : morning.plus({ days: 1 })).toMillis();
};
