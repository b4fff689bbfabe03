/** Booking: create, move, cancel and finish appointments, the same operations for desk, voice and worker. */
export { explainStart, findAlternatives, unavailableStart, type ConflictQuestion } from "./conflicts.js";
export { createAppointment } from "./create.js";
export { listAppointments } from "./list.js";
export { appointmentViewInclude, getAppointment, toAppointmentListItem, type AppointmentViewRow } from "./views.js";
export { rescheduleAppointment } from "./reschedule.js";
export { appointmentColumns, toAppointmentOut, zoneOf, type AppointmentRow } from "./rows.js";
export { acquireSlotLock, purgeExpiredLocks, releaseLock, BOOKING_LOCK_TTL_MS } from "./slot-lock.js";
export { cancelAppointment, completeAppointment, markNoShow } from "./status-change.js";
export * from "./statuses.js";
