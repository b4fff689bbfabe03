/**
 * JSON from the internet is bounded before it is parsed: size by the body parsers' limits, nesting
 * depth here (a 10 KB body nested 5,000 levels deep would otherwise reach JSON.parse and the validators
 * recursively). A scan of the raw text counts brackets outside strings; far cheaper than parsing.
 */
import { DomainError } from "@askproai/shared";
import type { RequestHandler } from "express";

export const MAX_JSON_DEPTH = 32;
/** A tRPC query's `input=` travels in the URL; longer inputs belong in a POST. */
export const MAX_QUERY_INPUT_CHARS = 16_384;

/** The deepest nesting of arrays/objects in a JSON text (0 for a scalar), stopping early past `limit`. */
export const jsonDepth = (raw: string | Buffer, limit = MAX_JSON_DEPTH): number => {
  const text = typeof raw === "string" ? raw : raw.toString("utf8");
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
};

export const tooDeep = () => new DomainError("BAD_REQUEST", `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { fields: ["input"] });

/** `verify` hook of express.json: refuses a body nested too deeply, before it is parsed. */
export const verifyJsonDepth = (_req: unknown, _res: unknown, buf: Buffer) => {
  if (jsonDepth(buf) > MAX_JSON_DEPTH) throw Object.assign(tooDeep(), { status: 400 });
};

/** The same bound for a tRPC query's `input=` (and the batch's), plus a length bound. */
export const guardQueryInput: RequestHandler = (req, _res, next) => {
  const input = req.query.input;
  if (input === undefined) return next();
  if (typeof input !== "string") return next(new DomainError("BAD_REQUEST", "input: must be given once, as JSON", { fields: ["input"] }));
  if (input.length > MAX_QUERY_INPUT_CHARS) return next(new DomainError("BAD_REQUEST", `input: longer than ${MAX_QUERY_INPUT_CHARS} characters; send it as a POST`, { fields: ["input"] }));
  if (jsonDepth(input) > MAX_JSON_DEPTH) return next(tooDeep());
  next();
};

/** Parses a raw body (webhooks, voice functions) after its signature was verified: 400 for bad JSON. */
export const parseJsonBody = (raw: Buffer): unknown => {
  if (jsonDepth(raw) > MAX_JSON_DEPTH) throw tooDeep();
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new DomainError("BAD_REQUEST", "body is not valid JSON");
  }
};
