import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWellFormedUnicode, text } from "./text.js";

const name = text({ min: 1, max: 50, name: true });
const notes = text({ max: 100, multiline: true });
const key = text({ min: 8, max: 50 });

describe("text()", () => {
  it("refuses what PostgreSQL or a reader cannot take, naming why", () => {
    const cases: [ReturnType<typeof text>, string, RegExp][] = [
      [name, "Ann\u0000a", /NUL/],
      [name, "abc\ud800def", /valid Unicode/],
      [name, "\udc00", /valid Unicode/],
      [name, "\u200B\u200B", /visible character/],
      [name, "\u202Eevil", /bidirectional/],
      [name, "Line\nbreak", /one line/],
      [name, "   ", /required/],
      [name, "x".repeat(51), /at most 50/],
      [notes, "bell\u0007", /control/],
      [key, "short", /at least 8/],
    ];
    for (const [schema, value, message] of cases) {
      const result = schema.safeParse(value);
      expect(result.success, JSON.stringify(value)).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(message);
    }
  });

  it("keeps real names and notes, trimmed: umlauts, accents, emoji, line breaks in notes", () => {
    expect(name.parse("  Jürgen Weiß ")).toBe("Jürgen Weiß");
    expect(name.parse("Zoë O'Brien-Łukasz 😊")).toBe("Zoë O'Brien-Łukasz 😊");
    expect(notes.parse("Allergie:\n\tNüsse")).toBe("Allergie:\n\tNüsse");
    expect(text({ min: 1, max: 20, raw: true }).parse(" pass word ")).toBe(" pass word ");
  });

  it("never accepts NUL, lone surrogates or invisible-only names, whatever surrounds them", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (value) => {
        const result = name.safeParse(value);
        if (result.success) {
          expect(result.data.includes("\u0000")).toBe(false);
          expect(isWellFormedUnicode(result.data)).toBe(true);
          expect(/[\p{L}\p{N}\p{P}\p{S}]/u.test(result.data)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
