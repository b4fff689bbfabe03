/** Working time: weekly rules and exceptions (time off, holidays, closures, extra hours). */
export * from "./schedule.js";
