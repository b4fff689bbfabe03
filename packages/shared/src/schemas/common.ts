import { z } from "zod";

export const idSchema = z.uuid({ message: "must be a UUID" });
/** E.164: "+" then country code and number, 8–15 digits in all. */
export const phoneSchema = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 phone number like +4930123456" });
/**
 * A phone number as people type it ("0151 1234567", "+49 (151) 123 45 67", "0049 151 …"). Only its
 * characters are checked here: the domain parses it in the company's country (which a schema cannot
 * know) and stores E.164; an impossible number is a BAD_REQUEST naming the field there.
 */
export const phoneInputSchema = z
  .string()
  .trim()
  .min(3, { message: "must be a phone number" })
  .max(40, { message: "must be at most 40 characters" })
  .regex(/^\+?[\d\s()./-]+$/, { message: "must be a phone number (digits, spaces and + ( ) - / .)" });
/** `{ id }` of one row. */
export const byIdInput = z.object({ id: idSchema });
/** An instant on the wire: ISO-8601 with an offset ("Z" or "+01:00"). */
export const instantSchema = z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant with offset, e.g. 2026-12-01T10:00:00+01:00" });
/** A local calendar date in the branch's zone. */
export const localDateSchema = z.iso.date({ message: "must be a date YYYY-MM-DD" });

/** What describeIssues needs of a zod issue (a union's issue carries each alternative's issues). */
interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  errors?: readonly (readonly IssueLike[])[];
}

// zod's own messages start with "Invalid input"; the answer says that once, in front of all of them.
const withoutPrefix = (message: string) => message.replace(/^Invalid input(: |$)/, "");

/** One issue's text: a missing value is "is required"; a union says what its closest alternative wanted. */
const issueText = (issue: IssueLike): string => {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return "is required";
  if (issue.code === "invalid_union" && issue.errors?.length) {
    // The alternative whose type matched explains best ("must be one of …"); else list the types expected.
    const matched = issue.errors.find((branch) => branch.length > 0 && !branch.some((i) => i.code === "invalid_type"));
    if (matched) return matched.map(issueText).join(", ");
    const expected = issue.errors.flatMap((branch) => branch.filter((i) => i.code === "invalid_type").map(issueText));
    if (expected.length) return [...new Set(expected)].join(" or ");
  }
  return withoutPrefix(issue.message) || "is not valid";
};

/** "path.to.field: message; other: message": names every offending field, each message said once. */
export const describeIssues = (issues: readonly IssueLike[]) =>
  issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "input"}: ${issueText(i)}`).join("; ");

export const issueFields = (issues: readonly { path: readonly PropertyKey[] }[]) =>
  [...new Set(issues.map((i) => (i.path.length ? i.path.map(String).join(".") : "input")))];
