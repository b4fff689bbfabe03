/**
 * Webhook and voice routes must verify a signature over the exact bytes received, so their bodies are
 * kept raw (a Buffer in `req.body`) and parsed only after verification. tRPC gets its own JSON parser.
 */
import express, { type RequestHandler } from "express";

export const RAW_BODY_LIMIT = "512kb";

/** Keeps the body as a Buffer whatever its content type claims. */
export const rawBody = (): RequestHandler => express.raw({ type: () => true, limit: RAW_BODY_LIMIT });

export { parseJsonBody } from "./json-limits.js";

/** The raw body of a request parsed by `rawBody()` (an empty Buffer when there was none). */
export const rawBodyOf = (body: unknown): Buffer => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));
