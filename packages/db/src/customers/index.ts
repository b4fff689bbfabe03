/** The company's customers (E.164 phone unique per company; numbers as typed are read in the company's country). */
export * from "./customers.js";
export { normalisePhone } from "./phone.js";
export { requiresDeskConfirmation, requiresDeskConfirmationForPhone, type NoShowPolicy } from "./no-show-policy.js";
