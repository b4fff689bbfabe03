/**
 * Local time as the customer reads it: the branch's zone, 24-hour clock, German by default. Luxon does
 * the zone arithmetic, so a DST day shows the wall-clock time the customer booked.
 */
import { DateTime } from "luxon";

export const MESSAGE_LANGUAGES = ["de", "en"] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export const isMessageLanguage = (value: unknown): value is MessageLanguage => (MESSAGE_LANGUAGES as readonly unknown[]).includes(value);

const LOCALE: Record<MessageLanguage, string> = { de: "de-DE", en: "en-GB" };

/** `date` ("So., 28.03.2027" / "Sun, 28 Mar 2027") and `time` ("10:00") of an instant in `zone`. */
export const localDateTime = (instantMs: number, zone: string, language: MessageLanguage) => {
  const t = DateTime.fromMillis(instantMs, { zone }).setLocale(LOCALE[language]);
  const date =
    language === "de"
      ? t.toLocaleString({ weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" })
      : t.toLocaleString({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
  return { date, time: t.toFormat("HH:mm") };
};

/** Minutes after local midnight of an instant in `zone`. */
export const localMinuteOfDay = (instantMs: number, zone: string) => {
  const t = DateTime.fromMillis(instantMs, { zone });
  return t.hour * 60 + t.minute;
};
