import { DateField } from "../features/calendar/DateField";
import { ConnectionBadge } from "../features/offline/ConnectionBadge";
import type { LiveState } from "../features/live/useLiveChanges";
import { useI18n } from "../i18n/i18n";

export type View = "day" | "week" | "debug";

export const Header = (props: {
  branches: { id: string; name: string }[];
  branchId: string;
  onBranch(id: string): void;
  view: View;
  onView(view: View): void;
  date: string;
  zone: string;
  dateLabel: string;
  onDate(date: string): void;
  onToday(): void;
  onStep(direction: -1 | 1): void;
  live: LiveState;
  userName: string;
  onOpenTray(): void;
  onCustomers(): void;
  onHelp(): void;
  onLogout(): void;
}) => {
  const { t, toggleLanguage } = useI18n();
  return (
    <header className="header">
      <div className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          {t("appTitle")}
        </div>
        <label className="branch-select">
          <span className="visually-hidden">{t("branch")}</span>
          <select value={props.branchId} onChange={(e) => props.onBranch(e.target.value)} aria-label={t("branch")}>
            {props.branches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <div className="spacer" />
        <ConnectionBadge live={props.live} onOpenTray={props.onOpenTray} />
        <button type="button" aria-keyshortcuts="/" onClick={props.onCustomers}>
          {t("customers.title")}
        </button>
        <button type="button" className="icon-button" aria-label={t("help.open")} aria-keyshortcuts="?" onClick={props.onHelp}>
          ?
        </button>
        <button type="button" className="link" aria-label={t("languageLabel")} aria-keyshortcuts="L" onClick={toggleLanguage}>
          {t("language")}
        </button>
        <span className="user">{props.userName}</span>
        <button type="button" className="link" onClick={props.onLogout}>
          {t("logout")}
        </button>
      </div>
      <div className="toolbar">
        <div className="views" role="group" aria-label={`${t("view.day")} / ${t("view.week")} / ${t("view.debug")}`}>
          {(["day", "week", "debug"] as const).map((v) => (
            <button key={v} type="button" aria-pressed={props.view === v} aria-keyshortcuts={v === "day" ? "D" : v === "week" ? "W" : "G"} onClick={() => props.onView(v)}>
              {t(`view.${v}`)}
            </button>
          ))}
        </div>
        {props.view !== "debug" && (
          <nav className="datenav" aria-label={t("nav.date")}>
            <button type="button" className="icon-button" aria-label={t("nav.prev")} aria-keyshortcuts="ArrowLeft" onClick={() => props.onStep(-1)}>
              ‹
            </button>
            <button type="button" aria-keyshortcuts="T" onClick={props.onToday}>
              {t("nav.today")}
            </button>
            <button type="button" className="icon-button" aria-label={t("nav.next")} aria-keyshortcuts="ArrowRight" onClick={() => props.onStep(1)}>
              ›
            </button>
            <DateField className="date-field" value={props.date} zone={props.zone} label={t("nav.date")} onChange={props.onDate} />
            <h1 className="date-title">{props.dateLabel}</h1>
          </nav>
        )}
      </div>
    </header>
  );
};
