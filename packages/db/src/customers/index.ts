/** The company's customers (E.164 phone unique per company). */
export * from "./customers.js";
