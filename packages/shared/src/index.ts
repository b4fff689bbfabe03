/**
 * Browser-safe: schemas, pure domain logic, coded errors and types. The desktop renderer imports
 * this; nothing here touches `process.env`, the file system or a logger. Server-only code (config,
 * logging) is `@askproai/shared/server`.
 */
export * from "./errors.js";
export * from "./phone.js";
export * from "./business-models/index.js";
export * from "./availability/index.js";
export * from "./schemas/common.js";
export * from "./schemas/text.js";
export * from "./schemas/auth.js";
export * from "./schemas/directory.js";
export * from "./schemas/booking.js";
export * from "./schemas/schedule.js";
export * from "./schemas/setup.js";
export * from "./schemas/users.js";
export * from "./schemas/platform.js";
export * from "./schemas/voice.js";
export * from "./schemas/waitlist.js";
export * from "./schemas/messaging.js";
export * from "./schemas/calendar.js";
export * from "./schemas/webhooks.js";
