import { useEffect, useRef } from "react";
import { useI18n } from "../../i18n/i18n";
import { SHORTCUTS } from "./shortcuts";

/** The shortcut list, as a modal dialog (native <dialog>: focus is trapped, Esc closes). */
export const ShortcutHelp = ({ onClose }: { onClose(): void }) => {
  const { t, language } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">{t("help.title")}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys.join("+") + s.en}>
              <td>
                {s.keys.map((k, i) => (
                  <kbd key={i}>{k}</kbd>
                ))}
              </td>
              <td>{language === "de" ? s.de : s.en}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("help.whileTyping")}</p>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus>
          {t("close")}
        </button>
      </form>
    </dialog>
  );
};
