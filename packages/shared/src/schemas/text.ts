/**
 * The one check every free-text string that enters the system passes. PostgreSQL refuses NUL in text
 * and lone UTF-16 surrogates cannot be stored as UTF-8, so both are rejected here with a 400 naming the
 * field, long before the database. Control characters are refused except line breaks and tabs in
 * multi-line text; bidirectional overrides (which can disguise what a name says) are refused; a name
 * needs at least one visible character (letters, digits, punctuation or symbols). Trimmed; bounded.
 */
import { z } from "zod";

// C0 and C1 controls, DEL; multi-line text may keep \t \n \r. Matching control characters is the point here.
/* eslint-disable no-control-regex */
const CONTROL_LINE = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/* eslint-enable no-control-regex */
// Bidirectional embeddings, overrides and isolates.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** False for strings with a lone surrogate (not valid Unicode, cannot be encoded as UTF-8). */
export const isWellFormedUnicode = (value: string) => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
};

export interface TextOptions {
  /** Maximum length in characters (after trimming). */
  max: number;
  /** Minimum length (after trimming); 0 allows "". */
  min?: number;
  /** Line breaks and tabs allowed (notes, reasons). */
  multiline?: boolean;
  /** A name: at least one visible character. */
  name?: boolean;
  /** Keep surrounding whitespace (passwords). */
  raw?: boolean;
}

export const text = ({ max, min = 0, multiline = false, name = false, raw = false }: TextOptions) => {
  const string = z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be text") });
  const base = raw ? string : string.trim();
  return base
    .refine((v) => isWellFormedUnicode(v), { message: "must be valid Unicode text", abort: true })
    .refine((v) => !v.includes("\u0000"), { message: "must not contain NUL characters", abort: true })
    .refine((v) => !(multiline ? CONTROL_MULTILINE : CONTROL_LINE).test(v), {
      message: multiline ? "must not contain control characters" : "must be one line without control characters",
      abort: true,
    })
    .refine((v) => raw || !BIDI_CONTROL.test(v), { message: "must not contain bidirectional override characters", abort: true })
    .refine((v) => v.length >= min, { message: min <= 1 ? "is required" : `must be at least ${min} characters`, abort: true })
    .refine((v) => v.length <= max, { message: `must be at most ${max} characters`, abort: true })
    .refine((v) => !name || VISIBLE.test(v), { message: "must contain a visible character" });
};
