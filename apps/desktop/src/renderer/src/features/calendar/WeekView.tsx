/**
 * The week for planning: a table with one row per staff member and one column per day, each cell
 * listing that day's appointments (time, status icon, customer). A day's heading opens its day view.
 */
import { useSyncExternalStore } from "react";
import type { Formatters } from "../../i18n/format";
import { useI18n } from "../../i18n/i18n";
import { isRecentlyChanged, recentStore } from "../live/recent";
import { dayBounds, localDateOf } from "./grid";
import type { CalendarItem } from "./items";
import { countLabel, STATUS_LOOK } from "./status";

export const WeekView = (props: {
  days: string[];
  zone: string;
  staff: { id: string; name: string }[];
  items: CalendarItem[];
  fmt: Formatters;
  today: string;
  label: string;
  onOpenDay(date: string): void;
  onOpen(item: CalendarItem): void;
}) => {
  const { days, zone, staff, items, fmt, today } = props;
  const { t } = useI18n();
  useSyncExternalStore(recentStore.subscribe, recentStore.snapshot);
  const cell = new Map<string, CalendarItem[]>();
  for (const item of items) {
    const key = `${item.staffId}|${localDateOf(item.start, zone)}`;
    cell.set(key, [...(cell.get(key) ?? []), item]);
  }
  return (
    <section className="week" aria-label={props.label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("book.staff")}</th>
            {days.map((d) => {
              const count = items.filter((i) => localDateOf(i.start, zone) === d && i.display !== "outboxCancel").length;
              return (
                <th key={d} scope="col" className={d === today ? "today" : undefined}>
                  <button type="button" className="link" aria-label={t("cal.openDay", { day: fmt.dayLong(dayBounds(d, zone).start) })} onClick={() => props.onOpenDay(d)}>
                    {fmt.dayShort(dayBounds(d, zone).start)}
                  </button>
                  <span className="muted small">{countLabel(t, count)}</span>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.name}</th>
              {days.map((d) => (
                <td key={d} className={d === today ? "today" : undefined}>
                  <ul className="chips">
                    {(cell.get(`${s.id}|${d}`) ?? []).map((item) => {
                      const look = STATUS_LOOK[item.display];
                      return (
                        <li key={item.key}>
                          <button
                            type="button"
                            className={`chip status-${item.display}${isRecentlyChanged(item.id) ? " live-flash" : ""}`}
                            aria-label={`${fmt.timeRange(item.start, item.end)}, ${item.customerName}, ${item.serviceName}, ${t(look.label)}`}
                            onClick={() => props.onOpen(item)}
                          >
                            <span className="chip-time">{fmt.time(item.start)}</span>
                            <span aria-hidden="true">{look.icon}</span>
                            <span className="chip-name">{item.customerName}</span>
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
