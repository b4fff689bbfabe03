export * from "./errors.js";
export * from "./config.js";
export * from "./business-models/types.js";
export type * from "./availability/types.js";
export * from "./schemas/common.js";
export * from "./schemas/auth.js";
export * from "./schemas/directory.js";
export * from "./schemas/booking.js";
