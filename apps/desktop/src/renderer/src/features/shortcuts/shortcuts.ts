/** The keyboard shortcuts, one list: the help dialog shows it and the workspace dispatches on it. */
export interface Shortcut {
  keys: string[];
  de: string;
  en: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ["T"], de: "Heute", en: "Today" },
  { keys: ["←", "→"], de: "Vorheriger / nächster Tag (Woche)", en: "Previous / next day (week)" },
  { keys: ["D"], de: "Tagesansicht", en: "Day view" },
  { keys: ["W"], de: "Wochenansicht", en: "Week view" },
  { keys: ["N"], de: "Neuer Termin (in der gewählten Zelle)", en: "New appointment (at the focused cell)" },
  { keys: ["Shift", "N"], de: "Walk-in: frühester freier Termin ab jetzt", en: "Walk-in: earliest free time from now" },
  { keys: ["/"], de: "Kundensuche", en: "Customer search" },
  { keys: ["K"], de: "Konflikte nach Offline-Betrieb", en: "Conflicts after working offline" },
  { keys: ["G"], de: "Kalender ↔ Fehlersuche", en: "Calendar ↔ debug view" },
  { keys: ["L"], de: "Sprache Deutsch / Englisch", en: "Language German / English" },
  { keys: ["↑", "↓", "←", "→"], de: "Im Kalender: Zelle wechseln (¼ Std. / Spalte)", en: "In the calendar: move between cells (¼ h / column)" },
  { keys: ["Bild↑", "Bild↓"], de: "Im Kalender: eine Stunde", en: "In the calendar: one hour" },
  { keys: ["Enter"], de: "Freie Zelle buchen / Termin öffnen", en: "Book a free cell / open the appointment" },
  { keys: ["M"], de: "Geöffneten Termin verschieben", en: "Move the open appointment" },
  { keys: ["C"], de: "Geöffneten Termin abschließen", en: "Complete the open appointment" },
  { keys: ["X"], de: "Geöffneten Termin: nicht erschienen", en: "Open appointment: no-show" },
  { keys: ["Entf"], de: "Geöffneten Termin stornieren", en: "Cancel the open appointment" },
  { keys: ["Esc"], de: "Panel schließen", en: "Close the panel" },
  { keys: ["?"], de: "Diese Übersicht", en: "This overview" },
];

/** Shortcuts are off while someone types in a field. */
export const isTyping = (target: EventTarget | null) => {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset"].includes(target.type);
};
