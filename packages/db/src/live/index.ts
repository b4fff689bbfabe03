/** Live updates: appointment changes numbered in commit order, fanned out to subscribers. */
export * from "./changes.js";
export { ChangeHub } from "./hub.js";
