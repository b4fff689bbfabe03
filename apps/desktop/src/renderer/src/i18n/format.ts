/**
 * Dates and times as staff read them: always in the branch's zone (never the machine's), 24-hour,
 * German by default. Formatters are cached per locale and zone (Intl construction is slow).
 */
const cache = new Map<string, Intl.DateTimeFormat>();
const formatter = (locale: string, zone: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    cache.set(key, f);
  }
  return f;
};

const toDate = (instant: string | number | Date) => (instant instanceof Date ? instant : new Date(instant));

export interface Formatters {
  /** "09:05" */
  time(instant: string | number | Date): string;
  /** "09:05–09:35" */
  timeRange(start: string | number, end: string | number): string;
  /** "Dienstag, 3. März 2026" */
  dayLong(instant: string | number | Date): string;
  /** "Di., 03.03." */
  dayShort(instant: string | number | Date): string;
  /** "03.03.2026, 09:05" */
  dateTime(instant: string | number | Date): string;
  /** "03.03.2026" */
  date(instant: string | number | Date): string;
}

export const makeFormatters = (locale: string, zone: string): Formatters => {
  const time = formatter(locale, zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dayLong = formatter(locale, zone, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const dayShort = formatter(locale, zone, { weekday: "short", day: "2-digit", month: "2-digit" });
  const dateTime = formatter(locale, zone, { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const date = formatter(locale, zone, { day: "2-digit", month: "2-digit", year: "numeric" });
  return {
    time: (i) => time.format(toDate(i)),
    timeRange: (a, b) => `${time.format(toDate(a))}–${time.format(toDate(b))}`,
    dayLong: (i) => dayLong.format(toDate(i)),
    dayShort: (i) => dayShort.format(toDate(i)),
    dateTime: (i) => dateTime.format(toDate(i)),
    date: (i) => date.format(toDate(i)),
  };
};
