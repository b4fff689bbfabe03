export * from "./types.js";
export * from "./time.js";
export * from "./slots.js";
export * from "./alternatives.js";
export { mergeIntervals, subtractIntervals, containedInOne, OverlapIndex } from "./intervals.js";
export * from "./explain.js";
