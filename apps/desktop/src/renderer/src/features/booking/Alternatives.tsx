import type { SlotAlternative } from "@askproai/shared";
import type { Formatters } from "../../i18n/format";
import { useI18n } from "../../i18n/i18n";

/** The server's alternatives to a refused time, each taken with one click (or Enter). */
export const Alternatives = ({ alternatives, fmt, onTake, busy }: { alternatives: SlotAlternative[]; fmt: Formatters; onTake(alt: SlotAlternative): void; busy?: boolean }) => {
  const { t } = useI18n();
  if (alternatives.length === 0) return <p className="muted">{t("problem.noAlternatives")}</p>;
  return (
    <div className="alternatives">
      <p>{t("problem.alternatives")}</p>
      <ul>
        {alternatives.map((alt) => (
          <li key={`${alt.start}-${alt.staffId}`}>
            <button type="button" className="alternative" disabled={busy} onClick={() => onTake(alt)}>
              {t("problem.take", { time: `${fmt.dayShort(alt.start)} ${fmt.timeRange(alt.start, alt.end)}`, staff: alt.staffName })}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
};
