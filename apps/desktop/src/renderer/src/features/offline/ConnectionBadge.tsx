/** Always visible: connected or offline, live updates, and how many changes wait to be sent. */
import { useConnection } from "../../app/DeskContext";
import { useI18n } from "../../i18n/i18n";
import type { LiveState } from "../live/useLiveChanges";
import { useOutbox } from "./useOutbox";

export const ConnectionBadge = ({ live, onOpenTray }: { live: LiveState; onOpenTray(): void }) => {
  const { t } = useI18n();
  const connection = useConnection();
  const entries = useOutbox();
  const waiting = entries.filter((e) => e.state === "pending" || e.state === "sending").length;
  const conflicts = entries.filter((e) => e.state === "conflict" || e.state === "failed").length;
  const syncing = connection === "online" && entries.some((e) => e.state === "sending");
  return (
    <div className="connection" role="status" aria-live="polite">
      <span className={`conn conn-${connection}`} data-connection={connection}>
        <span className="dot" aria-hidden="true" />
        {syncing ? t("conn.syncing") : connection === "online" ? t("conn.online") : t("conn.offline")}
      </span>
      {connection === "online" && (
        <span className={`live live-${live}`} title={live === "live" ? t("conn.live") : t("conn.liveOff")}>
          <span aria-hidden="true">{live === "live" ? "◉" : "○"}</span> {live === "live" ? t("conn.live") : t("conn.liveOff")}
        </span>
      )}
      {waiting > 0 && (
        <span className="badge badge-pending" title={t("outbox.pendingTitle")} data-testid="pending-count">
          <span aria-hidden="true">◷</span> {t("outbox.pending")}: {waiting}
        </span>
      )}
      <button type="button" className={`badge badge-conflicts${conflicts ? " has" : ""}`} aria-keyshortcuts="K" onClick={onOpenTray} data-testid="conflict-count">
        <span aria-hidden="true">⚠</span> {t("outbox.conflicts")}: {conflicts}
      </button>
    </div>
  );
};
