/** Availability: loading, computing and caching free slots. */
export * from "./answer.js";
export { AvailabilityCache, AVAILABILITY_TTL_SECONDS } from "./cache.js";
export * from "./compute.js";
export type { LoadedContext } from "./loader.js";
export { bumpAvailability, readAvailabilityVersion } from "./versions.js";
