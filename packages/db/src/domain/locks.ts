import type { Db } from "../client.js";

/**
 * Removes slot locks and holds whose time is up (a booking process that died half-way leaves its
 * lock behind; it stops hiding the slot at expiry and is swept here). System-wide, hence unscoped.
 */
export const purgeExpiredLocks = async (db: Db, now = new Date()) => {
  const { count } = await db.appointmentLock.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
};
