/**
 * Platform operators (AskProAI's own staff, outside every company): their login and sessions, and what
 * they do with companies (list, read, create with an invited owner, suspend), each access audited in
 * the company's own log.
 */
export * from "./companies.js";
export * from "./operators.js";
