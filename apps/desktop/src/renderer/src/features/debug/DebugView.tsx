/**
 * For owners: failed bookings of the last 24 hours, and for any of them (or a pasted appointment or
 * correlation id) the timeline of audit rows, outbox events, job attempts, outside calls and webhooks.
 */
import { errorCodeOf } from "@askproai/client";
import { useState, type FormEvent } from "react";
import { useConnection } from "../../app/DeskContext";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { useFailedBookings } from "./useFailedBookings";
import { timelineKeyOf, useTimeline, type TimelineKey } from "./useTimeline";

/** Failures stand out; waiting is amber; the rest is neutral. */
const statusTone = (status: string) => (/^(failed|gave_up|dead|error|[45]\d\d)$/.test(status) ? "bad" : /^(pending|waiting|retrying)$/.test(status) ? "waiting" : "");

export const DebugView = ({ role, zone }: { role: string; zone: string }) => {
  const { t, formatIn } = useI18n();
  const fmt = formatIn(zone);
  const connection = useConnection();
  const allowed = role === "owner" || role === "admin";
  const failed = useFailedBookings(allowed);
  const [lookup, setLookup] = useState("");
  const [selected, setSelected] = useState<TimelineKey | null>(null);
  const timeline = useTimeline(selected);

  if (!allowed) return <p className="empty">{t("debug.ownersOnly")}</p>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelected(timelineKeyOf(lookup));
  };

  return (
    <section className="debug" aria-labelledby="debug-title">
      <div className="debug-list">
        <h2 id="debug-title">{t("debug.title")}</h2>
        {connection === "offline" && <p className="hint">{t("debug.offline")}</p>}
        {failed.data && failed.data.length === 0 && <p className="muted">{t("debug.none")}</p>}
        {failed.data && failed.data.length > 0 && (
          <table className="failed">
            <thead>
              <tr>
                <th scope="col">{t("appt.time")}</th>
                <th scope="col">{t("appt.status")}</th>
                <th scope="col">{t("appt.service")}</th>
                <th scope="col">{t("appt.customer")}</th>
                <th scope="col">{t("debug.timeline")}</th>
              </tr>
            </thead>
            <tbody>
              {failed.data.map((f) => (
                <tr key={`${f.appointmentId}-${f.kind}`} className={"appointmentId" in (selected ?? {}) && (selected as { appointmentId: string }).appointmentId === f.appointmentId ? "selected" : undefined}>
                  <td>
                    {fmt.dateTime(f.at)}
                    <div className="muted small">
                      → {fmt.dayShort(f.start)} {fmt.time(f.start)}
                    </div>
                  </td>
                  <td>
                    <strong>{t(`debug.kind.${f.kind}` as MessageKey)}</strong>
                    <div className="small">{f.reason}</div>
                  </td>
                  <td>
                    {f.serviceName} · {f.staffName}
                  </td>
                  <td>
                    {f.customer.name} {f.customer.phone}
                  </td>
                  <td>
                    <button type="button" onClick={() => setSelected({ appointmentId: f.appointmentId })}>
                      {t("debug.show")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="lookup" onSubmit={submit}>
          <label>
            {t("debug.lookup")}
            <input value={lookup} onChange={(e) => setLookup(e.target.value)} spellCheck={false} />
          </label>
          <button type="submit">{t("debug.show")}</button>
        </form>
      </div>
      {selected && (
        <div className="timeline" aria-live="polite">
          <h2>
            {t("debug.timeline")} · <code>{"appointmentId" in selected ? selected.appointmentId : selected.correlationId}</code>
          </h2>
          {timeline.error && <p className="form-error">{errorCodeOf(timeline.error) === "NOT_FOUND" ? t("debug.empty") : timeline.error.message}</p>}
          {timeline.data && timeline.data.length === 0 && <p className="muted">{t("debug.empty")}</p>}
          <ol className="timeline-list">
            {(timeline.data ?? []).map((entry, i) => (
              <li key={i} className={`timeline-entry kind-${entry.kind}`}>
                <time dateTime={entry.at}>{fmt.dateTime(entry.at)}</time>
                <span className="timeline-kind">{t(`debug.entry.${entry.kind}` as MessageKey)}</span>
                <span className="timeline-title">{entry.title}</span>
                {entry.status && <span className={`timeline-status ${statusTone(entry.status)}`}>{entry.status}</span>}
                {Object.keys(entry.detail).length > 0 && (
                  <details>
                    <summary className="small">{entry.correlationId}</summary>
                    <pre>{JSON.stringify(entry.detail, null, 2)}</pre>
                  </details>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
};
