/**
 * Logins and sessions. System-level by nature (a login or a token tells which company it is for), so
 * these take the unscoped client; everything after authentication goes through `contextFor`.
 */
export * from "./passwords.js";
export * from "./sessions.js";
export * from "./invites.js";
export * from "./session-cache.js";
