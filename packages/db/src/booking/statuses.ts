/**
 * The one definition of which appointment statuses block time, and which can still change. The SQL of
 * the loader, the slot lock and the EXCLUDE constraints is generated from (or, for the migration,
 * checked against) these lists; statuses.integration.test.ts compares them with the database.
 */
import type { AppointmentStatus } from "../generated/prisma/enums.js";

/** An appointment in these states no longer occupies its staff member or room. */
export const NON_BLOCKING_STATUSES = ["cancelled", "failed"] as const satisfies readonly AppointmentStatus[];

/** Still ahead of the customer: may be moved, cancelled, marked no-show or completed. */
export const ACTIVE_STATUSES = ["pending", "confirmed"] as const satisfies readonly AppointmentStatus[];

export const isBlocking = (status: AppointmentStatus) => !(NON_BLOCKING_STATUSES as readonly string[]).includes(status);
export const isActive = (status: AppointmentStatus) => (ACTIVE_STATUSES as readonly string[]).includes(status);

const sqlList = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(", ");

/** `<alias>.status NOT IN ('cancelled', 'failed')`: the predicate the EXCLUDE constraints use. */
export const blockingSql = (alias: string) => `${alias}.status NOT IN (${sqlList(NON_BLOCKING_STATUSES)})`;
export const activeSql = (alias: string) => `${alias}.status IN (${sqlList(ACTIVE_STATUSES)})`;
