export * from "./client.js";
export * from "./env.js";
export * from "./errors.js";
export * from "./tenant.js";
export * from "./auth/passwords.js";
export * from "./domain/auth.js";
export * from "./domain/directory.js";
export * from "./seed/demo.js";
