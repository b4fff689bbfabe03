import { z } from "zod";

export const idSchema = z.uuid({ message: "must be a UUID" });
/** E.164: "+" then country code and number, 8–15 digits in all. */
export const phoneSchema = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 phone number like +4930123456" });
/** An instant on the wire: ISO-8601 with an offset ("Z" or "+01:00"). */
export const instantSchema = z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant with offset, e.g. 2026-12-01T10:00:00+01:00" });
/** A local calendar date in the branch's zone. */
export const localDateSchema = z.iso.date({ message: "must be a date YYYY-MM-DD" });

/** "path.to.field: message; other: message": names every offending field. */
export const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "input"}: ${i.message}`).join("; ");

export const issueFields = (issues: readonly { path: readonly PropertyKey[] }[]) =>
  [...new Set(issues.map((i) => (i.path.length ? i.path.map(String).join(".") : "input")))];
