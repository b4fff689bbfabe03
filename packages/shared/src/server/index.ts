/** Server-only: configuration from the environment and structured logging. Never imported by the desktop renderer. */
export * from "./config.js";
export * from "./logging.js";
export * from "./signatures.js";
export * from "./secret-box.js";
