/**
 * The signed-in screen: header, the day or week calendar (or the debug view), and one side panel at a
 * time (booking, appointment, customers, conflict tray). Global shortcuts are dispatched here.
 */
import { useEffect, useMemo, useState } from "react";
import { AppointmentPanel, type AppointmentCommand } from "../features/booking/AppointmentPanel";
import { BookingPanel, type BookingPreset } from "../features/booking/BookingPanel";
import { DayView } from "../features/calendar/DayView";
import { addDays, buildDayGrid, dayBounds, isoWeekNumber, STEP_MINUTES, todayIn } from "../features/calendar/grid";
import { calendarItems, type CalendarItem } from "../features/calendar/items";
import { LEGEND, STATUS_LOOK } from "../features/calendar/status";
import { prefetchDays, useDayAppointments } from "../features/calendar/useDayAppointments";
import { useBranches, useServices, useStaff } from "../features/calendar/useDirectory";
import { useWeekAppointments } from "../features/calendar/useWeekAppointments";
import { WeekView } from "../features/calendar/WeekView";
import { useSession, useSignedIn } from "../features/auth/session";
import { CustomerSearchPanel } from "../features/customers/CustomerSearchPanel";
import { DebugView } from "../features/debug/DebugView";
import { useLiveChanges } from "../features/live/useLiveChanges";
import { ConflictTray } from "../features/offline/ConflictTray";
import { useOutbox } from "../features/offline/useOutbox";
import { isTyping } from "../features/shortcuts/shortcuts";
import { ShortcutHelp } from "../features/shortcuts/ShortcutHelp";
import { useI18n } from "../i18n/i18n";
import { useConnection, useDesk } from "./DeskContext";
import { Header, type View } from "./Header";
import { useNow } from "./useNow";

type Panel = null | { kind: "book"; preset: BookingPreset } | { kind: "appointment"; key: string } | { kind: "customers" } | { kind: "tray" };

const BRANCH_KEY = "askproai.branch";

/** The view and day live in the URL's hash (`#/day/2026-03-03`), so a reload keeps them. */
const readHash = (): { view: View; date: string | null } => {
  const [, view, date] = /^#\/(day|week|debug)(?:\/(\d{4}-\d\d-\d\d))?$/.exec(window.location.hash) ?? [];
  return { view: (view as View | undefined) ?? "day", date: date ?? null };
};

export const Workspace = () => {
  const { t, formatIn, toggleLanguage } = useI18n();
  const desk = useDesk();
  const session = useSignedIn();
  const { logout } = useSession();
  const connection = useConnection();
  const now = useNow(30_000);
  const branches = useBranches();
  const [branchId, setBranchId] = useState<string | null>(() => localStorage.getItem(BRANCH_KEY));
  const branch = branches.data?.find((b) => b.id === branchId) ?? branches.data?.[0];
  const zone = branch?.timezone ?? "Europe/Berlin";
  const fmt = formatIn(zone);
  const today = todayIn(zone, now);
  const [date, setDate] = useState(() => readHash().date ?? todayIn(zone));
  const [view, setView] = useState<View>(() => readHash().view);
  const [panel, setPanel] = useState<Panel>(null);
  const [command, setCommand] = useState<AppointmentCommand>(null);
  const [help, setHelp] = useState(false);
  const [moveRequest, setMoveRequest] = useState<{ key: string; staffId: string; start: number } | null>(null);
  const staff = useStaff(branch?.id);
  const services = useServices(branch?.id);
  const outbox = useOutbox();
  const live = useLiveChanges(session.user.companyId);
  const day = useDayAppointments(branch?.id, date, zone);
  const week = useWeekAppointments(view === "week" ? branch?.id : undefined, date, zone);

  const staffList = useMemo(() => (staff.data ?? []).map((s) => ({ id: s.id, name: s.name })), [staff.data]);
  const buffers = useMemo(() => new Map((services.data ?? []).map((s) => [s.id, s])), [services.data]);
  const dayRange = useMemo(() => dayBounds(date, zone), [date, zone]);
  const dayItems = useMemo(() => (branch ? calendarItems(day.data ?? [], outbox, branch.id, dayRange) : []), [day.data, outbox, branch, dayRange]);
  const grid = useMemo(() => buildDayGrid({ date, zone, include: dayItems }), [date, zone, dayItems]);
  const weekRange = useMemo(() => ({ start: dayBounds(week.days[0]!, zone).start, end: dayBounds(week.days[6]!, zone).end }), [week.days, zone]);
  const weekItems = useMemo(() => (branch ? calendarItems(week.data ?? [], outbox, branch.id, weekRange) : []), [week.data, outbox, branch, weekRange]);

  const items = view === "week" ? weekItems : dayItems;
  const openItem: CalendarItem | undefined = panel?.kind === "appointment" ? items.find((i) => i.key === panel.key) ?? dayItems.find((i) => i.key === panel.key) : undefined;

  useEffect(() => {
    if (branch) localStorage.setItem(BRANCH_KEY, branch.id);
  }, [branch]);

  useEffect(() => {
    window.history.replaceState(null, "", view === "debug" ? "#/debug" : `#/${view}/${date}`);
  }, [view, date]);

  // Signed in: send what waited in the outbox (from before a reload, a restart or a new login).
  useEffect(() => {
    void desk.outbox.load().then(() => desk.outbox.flush());
  }, [desk]);

  // Today and the next days are fetched ahead so they stay readable through an outage.
  useEffect(() => {
    if (branch && connection === "online") void prefetchDays(desk.queryClient, desk.api, branch.id, todayIn(branch.timezone), branch.timezone);
  }, [branch, connection, desk]);

  // The appointment vanished (cancelled, or a pending booking got its server id): close its panel.
  useEffect(() => {
    if (panel?.kind === "appointment" && !openItem) setPanel(null);
  }, [panel, openItem]);

  const step = (direction: -1 | 1) => setDate((d) => addDays(d, direction * (view === "week" ? 7 : 1), zone));

  const bookAtFocus = (walkIn: boolean) => {
    if (walkIn) return setPanel({ kind: "book", preset: { date: today, walkIn: true } });
    const cell = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>("[data-staff-id][data-start]") : null;
    if (cell) return setPanel({ kind: "book", preset: { date, staffId: cell.dataset.staffId, start: Date.parse(cell.dataset.start!) } });
    const nextQuarter = Math.ceil(now / (STEP_MINUTES * 60_000)) * STEP_MINUTES * 60_000;
    setPanel({ kind: "book", preset: { date, ...(date === today ? { start: nextQuarter } : {}) } });
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (help) return;
      if (event.key === "Escape") {
        if (panel) {
          event.preventDefault();
          setPanel(null);
        }
        return;
      }
      if (isTyping(event.target)) return;
      // Arrows inside a panel belong to the panel's controls, not to the calendar's date.
      const inPanel = event.target instanceof HTMLElement && event.target.closest(".panel") !== null;
      const appointmentKeys: Record<string, AppointmentCommand> = { m: "move", c: "complete", x: "noShow", Delete: "cancel" };
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (panel?.kind === "appointment" && appointmentKeys[key] && !event.shiftKey) {
        event.preventDefault();
        setCommand(appointmentKeys[key]!);
        return;
      }
      const actions: Record<string, () => void> = {
        t: () => setDate(today),
        ArrowLeft: () => view !== "debug" && !inPanel && step(-1),
        ArrowRight: () => view !== "debug" && !inPanel && step(1),
        d: () => setView("day"),
        w: () => setView("week"),
        g: () => setView((v) => (v === "debug" ? "day" : "debug")),
        n: () => bookAtFocus(event.shiftKey),
        "/": () => setPanel({ kind: "customers" }),
        k: () => setPanel({ kind: "tray" }),
        l: () => toggleLanguage(),
        "?": () => setHelp(true),
      };
      const action = actions[key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  if (!branch) return <p className="empty">{t("cal.loading")}</p>;

  const dateLabel = view === "week" ? `${t("cal.week", { week: isoWeekNumber(date, zone) })} · ${fmt.dayShort(dayBounds(week.days[0]!, zone).start)}–${fmt.dayShort(dayBounds(week.days[6]!, zone).start)}` : fmt.dayLong(dayRange.start);
  const shown = view === "week" ? week : day;

  return (
    <div className="workspace">
      <Header
        branches={branches.data ?? []}
        branchId={branch.id}
        onBranch={(id) => (setBranchId(id), setPanel(null))}
        view={view}
        onView={setView}
        date={date}
        zone={zone}
        dateLabel={dateLabel}
        onDate={setDate}
        onToday={() => setDate(today)}
        onStep={step}
        live={live}
        userName={session.user.name}
        onOpenTray={() => setPanel({ kind: "tray" })}
        onCustomers={() => setPanel({ kind: "customers" })}
        onHelp={() => setHelp(true)}
        onLogout={() => void logout()}
      />
      <div className="content">
        <main className="calendar" id="main">
          {view !== "debug" && connection === "offline" && (
            <p className="offline-note" role="note">
              {shown.data ? t("cal.offlineCache", { time: fmt.dateTime(shown.dataUpdatedAt) }) : t("cal.noCache")} {t("cal.offlineSaving")}
            </p>
          )}
          {view === "day" && (
            <DayView
              grid={grid}
              staff={staffList}
              items={dayItems}
              buffers={buffers}
              fmt={fmt}
              now={now}
              dayLabel={fmt.dayLong(dayRange.start)}
              selectedKey={panel?.kind === "appointment" ? panel.key : null}
              onBook={(staffId, start) => setPanel({ kind: "book", preset: { date, staffId, start } })}
              onOpen={(item) => setPanel({ kind: "appointment", key: item.key })}
              onMove={(item, staffId, start) => {
                setPanel({ kind: "appointment", key: item.key });
                setMoveRequest({ key: item.key, staffId, start });
              }}
            />
          )}
          {view === "week" && (
            <WeekView
              days={week.days}
              zone={zone}
              staff={staffList}
              items={weekItems}
              fmt={fmt}
              today={today}
              label={dateLabel}
              onOpenDay={(d) => (setDate(d), setView("day"))}
              onOpen={(item) => setPanel({ kind: "appointment", key: item.key })}
            />
          )}
          {view === "debug" && <DebugView role={session.user.role} zone={zone} />}
          {view !== "debug" && (
            <footer className="legend" aria-label={t("cal.legend")}>
              {LEGEND.map((s) => (
                <span key={s} className={`legend-item status-${s}`}>
                  <span aria-hidden="true">{STATUS_LOOK[s].icon}</span> {t(STATUS_LOOK[s].label)}
                </span>
              ))}
              <span className="legend-item legend-buffer">{t("cal.buffer")}</span>
              <span className="legend-hint">
                <kbd>?</kbd> {t("help.title")}
              </span>
            </footer>
          )}
        </main>
        {panel?.kind === "book" && staff.data && services.data && (
          <BookingPanel key={JSON.stringify(panel.preset)} branch={branch} preset={panel.preset} staff={staffList} services={services.data} onClose={() => setPanel(null)} />
        )}
        {panel?.kind === "appointment" && openItem && (
          <AppointmentPanel
            key={openItem.key}
            item={openItem}
            branchId={branch.id}
            zone={zone}
            staff={staffList}
            command={command}
            onCommandDone={() => setCommand(null)}
            moveRequest={moveRequest?.key === openItem.key ? moveRequest : null}
            onMoveHandled={() => setMoveRequest(null)}
            onClose={() => setPanel(null)}
            onDiscard={(entryKey) => void desk.outbox.discard(entryKey).then(() => setPanel(null))}
          />
        )}
        {panel?.kind === "customers" && <CustomerSearchPanel zone={zone} onClose={() => setPanel(null)} />}
        {panel?.kind === "tray" && <ConflictTray zone={zone} onClose={() => setPanel(null)} />}
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
};
