/** The calendar area: Cal.com connection, outbound sync, inbound bookings and reconciliation. */
export { CALCOM_API_VERSION, CalcomRejected, CalcomRetryable, createCalcomClient, isLive, appointmentIdOf, type CalcomBooking, type CalcomClient } from "./client.js";
export { BrokenCircuitError, CalendarBreakers, type BreakerSettings, type BreakerState } from "./breaker.js";
export { calcomClientFor, SyncRefused, type CalendarRuntime } from "./runtime.js";
export { markSyncFailed, noteSyncRetry, syncAppointment, type SyncResult } from "./sync.js";
export * from "./connection.js";

export const CALENDAR_QUEUE = "calendar";
export const CALENDAR_SYNC_JOB = "calendar.sync";
