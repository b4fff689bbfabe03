/**
 * How the agent says dates, times and names: German by default ("Dienstag, 1. Dezember, um 14:30 Uhr
 * bei Lena", 24 h), English when the company speaks English. Always in the branch's zone (Luxon), so
 * a daylight-saving day reads as the wall clock there does.
 */
import { DateTime } from "luxon";

export type Language = "de" | "en";

export const languageOf = (code: string | null | undefined): Language => (code?.toLowerCase().startsWith("en") ? "en" : "de");

const local = (lang: Language, ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale(lang);

/** "Dienstag, 1. Dezember" (with the year when it is not this year's); English "Tuesday, December 1". */
export const spokenDay = (lang: Language, ms: number, zone: string, now: number): string => {
  const dt = local(lang, ms, zone);
  const sameYear = dt.year === DateTime.fromMillis(now, { zone }).year;
  if (lang === "en") return dt.toFormat(sameYear ? "cccc, LLLL d" : "cccc, LLLL d, yyyy");
  return dt.toFormat(sameYear ? "cccc, d. LLLL" : "cccc, d. LLLL yyyy");
};

/** "14:30 Uhr", "9 Uhr"; English "2:30 PM", "9 AM". */
export const spokenTime = (lang: Language, ms: number, zone: string): string => {
  const dt = local(lang, ms, zone);
  if (lang === "en") return dt.toFormat(dt.minute === 0 ? "h a" : "h:mm a");
  return dt.minute === 0 ? `${dt.hour} Uhr` : `${dt.toFormat("HH:mm")} Uhr`;
};

const TITLE = /^(dr\.?|prof\.?)$/i;

/**
 * How a staff member is named to a caller: "Dr. Brandt" for a titled name; otherwise the first name
 * where first names are the custom (salons, spas), the full name where they are not (practices).
 */
export const spokenStaffName = (name: string, style: "first_name" | "full_name"): string => {
  const words = name.trim().split(/\s+/);
  const titles = words.filter((w) => TITLE.test(w));
  if (titles.length > 0 && words.length > titles.length) return `${titles.join(" ")} ${words[words.length - 1]}`;
  return style === "first_name" ? words[0] ?? name : name;
};

export interface SpokenSlot {
  start: number;
  staffName?: string | null;
}

/** "Dienstag, 1. Dezember, um 14:30 Uhr bei Lena". */
export const spokenSlot = (lang: Language, slot: SpokenSlot, zone: string, now: number): string => spokenSlots(lang, [slot], zone, now);

/**
 * Several slots in time order, each day said once, the staff member once when it is the same for all:
 * "Dienstag, 1. Dezember, um 9 Uhr, um 11 Uhr oder Mittwoch, 2. Dezember, um 9 Uhr, jeweils bei Lena".
 * `knownDay`: an instant on the day the caller just heard, which is then not repeated.
 */
export const spokenSlots = (
  lang: Language,
  slots: readonly SpokenSlot[],
  zone: string,
  now: number,
  opts: { joiner?: "or" | "and"; knownDay?: number } = {},
): string => {
  const at = lang === "en" ? "at" : "um";
  const by = lang === "en" ? "with" : "bei";
  const ordered = [...slots].sort((a, b) => a.start - b.start);
  const names = new Set(ordered.map((s) => s.staffName ?? ""));
  const shared = ordered.length > 1 && names.size === 1 ? [...names][0] || null : null;
  let previousDay = opts.knownDay === undefined ? "" : spokenDay(lang, opts.knownDay, zone, now);
  const parts = ordered.map((slot) => {
    const day = spokenDay(lang, slot.start, zone, now);
    const time = `${at} ${spokenTime(lang, slot.start, zone)}${slot.staffName && !shared ? ` ${by} ${slot.staffName}` : ""}`;
    const text = day === previousDay ? time : `${day}, ${time}`;
    previousDay = day;
    return text;
  });
  const list = joinList(lang, parts, opts.joiner ?? "or");
  return shared ? `${list}, ${lang === "en" ? "each with" : "jeweils bei"} ${shared}` : list;
};

/** "a, b oder c" / "a, b or c". */
export const joinList = (lang: Language, parts: readonly string[], joiner: "or" | "and" = "and"): string => {
  if (parts.length <= 1) return parts[0] ?? "";
  const word = joiner === "or" ? (lang === "en" ? "or" : "oder") : lang === "en" ? "and" : "und";
  return `${parts.slice(0, -1).join(", ")} ${word} ${parts[parts.length - 1]}`;
};
