/** The calendar area: Cal.com connection, outbound sync, inbound bookings and reconciliation. */
export { CALCOM_API_VERSION, CalcomRejected, CalcomRetryable, createCalcomClient, isLive, appointmentIdOf, type CalcomBooking, type CalcomClient } from "./client.js";
export { BrokenCircuitError, CalendarBreakers, type BreakerSettings, type BreakerState } from "./breaker.js";
export { calcomClientFor, SyncRefused, type CalendarRuntime } from "./runtime.js";
export { appointmentCorrelationId, markSyncFailed, noteSyncRetry, syncAppointment, type SyncResult } from "./sync.js";
export * from "./connection.js";
export * from "./conflicts.js";
export { applyCalcomWebhook, applyInboundBooking, inboundFromApi, inboundFromWebhook, type InboundBooking, type InboundResult } from "./inbound.js";
export { reconcileCompany, syncingCompanies, type ReconcileOptions, type ReconcileResult } from "./reconcile.js";

export const CALENDAR_QUEUE = "calendar";
export const CALENDAR_SYNC_JOB = "calendar.sync";
export const CALENDAR_RECONCILE_JOB = "calendar.reconcile";
