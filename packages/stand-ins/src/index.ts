/**
 * Development-only stand-ins for the outside services that cannot be reached from a development or CI
 * machine. They speak the services' real HTTP/SMTP protocols so production clients run unchanged.
 * Never import this package from production code.
 */
export * from "./calcom/index.js";
export * from "./sms/index.js";
export * from "./smtp/index.js";
export * from "./stripe/index.js";
export * from "./signing.js";
export * from "./start.js";
export type { FaultSpec, ActiveFault } from "./faults.js";
export { FaultPlan } from "./faults.js";
export type { RecordedRequest } from "./server.js";
export type { RateLimitSettings } from "./rate-limit.js";
