import { describe, expect, it } from "vitest";
import { phoneCountry, phoneSearchDigits, toE164 } from "./phone.js";

describe("toE164", () => {
  it("reads the ways people write one German number as the same E.164 number", () => {
    for (const typed of ["0151 1234567", "+49 (151) 123 45 67", "0049 151 1234567", "+491511234567", "0151/123 45-67"]) {
      expect(toE164(typed, "DE"), typed).toBe("+491511234567");
    }
  });

  it("reads national numbers in the given country, international ones anywhere", () => {
    expect(toE164("01 42 68 53 00", "FR")).toBe("+33142685300");
    expect(toE164("+49 30 1234567", "FR")).toBe("+49301234567");
  });

  it("refuses what cannot be a phone number", () => {
    for (const typed of ["123", "+49 1", "0151 12345678901234", "call me", ""]) expect(toE164(typed, "DE"), typed).toBeNull();
  });

  it("falls back to Germany for an unknown country code", () => {
    expect(phoneCountry("XX")).toBe("DE");
    expect(toE164("0151 1234567", null)).toBe("+491511234567");
  });
});

describe("phoneSearchDigits", () => {
  it("turns the start of a number as typed into digits of the stored E.164 form", () => {
    expect(phoneSearchDigits("0151 12", "DE")).toBe("4915112");
    expect(phoneSearchDigits("0049 151", "DE")).toBe("49151");
    expect(phoneSearchDigits("+49 151", "DE")).toBe("49151");
    expect(phoneSearchDigits("4567", "DE")).toBe("4567");
    expect(phoneSearchDigits("06 12", "FR")).toBe("33612");
  });
});
