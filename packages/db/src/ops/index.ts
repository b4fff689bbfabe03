/** Operations: metrics (and, as they arrive, the debug timeline and the monitoring reports). */
export * from "./metrics.js";
export { refreshOutboxGauges } from "./outbox-gauges.js";
export * from "./reports.js";
export * from "./debug.js";
export * from "./job-attempts.js";
export * from "./redact.js";
export { writeOutsideCall, type OutsideCall } from "./outside-calls.js";
