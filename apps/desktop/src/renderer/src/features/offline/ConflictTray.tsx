/**
 * Changes made offline that the server refused when they were sent: what was wanted, why it was
 * refused, and the server's alternatives, each taken with one click. Nothing leaves the tray silently:
 * an entry goes only when it is resolved or someone discards it.
 */
import type { SlotAlternative } from "@askproai/shared";
import { useId, useState } from "react";
import type { OutboxEntry, OutboxOperation } from "../../../../shared/outbox";
import { useDesk } from "../../app/DeskContext";
import { useToast } from "../../app/toasts";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { Alternatives } from "../booking/Alternatives";
import { describeProblemText } from "../booking/problems";
import { useOutbox } from "./useOutbox";

/** The same change at an alternative time: a new outbox entry (with a new idempotency key for a booking). */
const atAlternative = (operation: OutboxOperation, alt: SlotAlternative): OutboxOperation | null => {
  if (operation.kind === "create") return { kind: "create", input: { ...operation.input, start: alt.start, staffId: alt.staffId, idempotencyKey: `desk-${crypto.randomUUID()}` } };
  if (operation.kind === "reschedule") return { kind: "reschedule", input: { ...operation.input, start: alt.start, staffId: alt.staffId } };
  return null;
};

export const ConflictTray = ({ zone, onClose }: { zone: string; onClose(): void }) => {
  const { t, formatIn } = useI18n();
  const fmt = formatIn(zone);
  const toast = useToast();
  const { outbox } = useDesk();
  const entries = useOutbox().filter((e) => e.state === "conflict" || e.state === "failed");
  const titleId = useId();
  const [busy, setBusy] = useState<string | null>(null);

  const take = async (entry: OutboxEntry, alt: SlotAlternative) => {
    const operation = atAlternative(entry.operation, alt);
    if (!operation) return;
    setBusy(entry.id);
    const outcome = await outbox.enqueue(
      { id: crypto.randomUUID(), createdAt: new Date().toISOString(), operation, summary: { ...entry.summary, start: alt.start, end: alt.end, staffId: alt.staffId, staffName: alt.staffName } },
      { interactive: true },
    );
    if (outcome.status === "rejected") await outbox.markConflict(entry.id, outcome.problem);
    else {
      await outbox.discard(entry.id);
      toast(t("tray.resolved", { what: `${entry.summary.customerName}, ${fmt.dayShort(alt.start)} ${fmt.time(alt.start)}, ${alt.staffName}` }), "success");
    }
    setBusy(null);
  };

  return (
    <aside className="panel tray" aria-labelledby={titleId}>
      <header className="panel-head">
        <h2 id={titleId}>{t("tray.title")}</h2>
        <button type="button" className="icon-button" aria-label={t("close")} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">
        {entries.length === 0 && <p className="muted">{t("tray.empty")}</p>}
        <ul className="plain">
          {entries.map((entry) => {
            const wanted = Date.parse(entry.summary.start);
            return (
              <li key={entry.id} className="tray-entry" data-outbox-id={entry.id}>
                <h3>
                  <span aria-hidden="true">⚠</span> {t(`tray.kind.${entry.operation.kind}` as MessageKey)} · {entry.summary.customerName}
                </h3>
                <p>
                  {entry.summary.serviceName} · {t("tray.wanted", { time: `${fmt.dayShort(wanted)} ${fmt.timeRange(wanted, Date.parse(entry.summary.end))}`, staff: entry.summary.staffName })}
                </p>
                {entry.problem && <p className="problem-text">{describeProblemText(entry.problem, t, `${fmt.dayShort(wanted)} ${fmt.time(wanted)}`)}</p>}
                {entry.problem && atAlternative(entry.operation, { start: "", end: "", staffId: "", staffName: "" }) && (
                  <Alternatives alternatives={entry.problem.alternatives} fmt={fmt} busy={busy === entry.id} onTake={(alt) => void take(entry, alt)} />
                )}
                <div className="panel-actions">
                  <button type="button" disabled={busy === entry.id} onClick={() => void outbox.retry(entry.id)}>
                    {t("tray.retry")}
                  </button>
                  <button type="button" className="danger" disabled={busy === entry.id} onClick={() => void outbox.discard(entry.id)}>
                    {t("tray.discard")}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    </aside>
  );
};
