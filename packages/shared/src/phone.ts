/**
 * Phone numbers as people type them, read in a country: "0151 1234567", "+49 (151) 123 45 67" and
 * "0049 151 1234567" are all +491511234567 in Germany. Stored and answered as E.164.
 */
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

export const DEFAULT_PHONE_COUNTRY = "DE";

/** The ISO 3166 country to read national numbers in; an unknown code falls back to Germany. */
export const phoneCountry = (country: string | null | undefined): CountryCode =>
  country && isSupportedCountry(country) ? country : DEFAULT_PHONE_COUNTRY;

/** E.164 of a number typed in `country`, or null when it cannot be a phone number (too short or long, no digits). */
export const toE164 = (raw: string, country: string | null | undefined): string | null => {
  const parsed = parsePhoneNumberFromString(raw, phoneCountry(country));
  return parsed?.isPossible() ? parsed.number : null;
};

/**
 * The digits to look for in stored E.164 numbers when someone types part of a number: "0151 12" is
 * "4915112" in Germany, "0049 151" is "49151", "+49 151" is "49151", and a bare "4567" (the last digits
 * a caller reads out) stays "4567".
 */
export const phoneSearchDigits = (raw: string, country: string | null | undefined): string => {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return digits;
  if (digits.startsWith("00")) return digits.slice(2);
  if (digits.startsWith("0")) return `${getCountryCallingCode(phoneCountry(country))}${digits.slice(1)}`;
  return digits;
};
