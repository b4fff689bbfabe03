/**
 * How a status looks: colour AND icon AND words (never colour alone). The palette follows what desks
 * know from Fresha: blue booked, green finished, red no-show, grey cancelled; tentative is striped.
 */
import type { RouterOutputs } from "@askproai/client";
import type { Translate } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";

export type AppointmentStatus = RouterOutputs["appointments"]["list"][number]["status"];
export type DisplayStatus = AppointmentStatus | "outbox" | "outboxCancel";

export const STATUS_LOOK: Record<DisplayStatus, { icon: string; label: MessageKey }> = {
  pending: { icon: "◌", label: "status.pending" },
  confirmed: { icon: "✓", label: "status.confirmed" },
  completed: { icon: "✔", label: "status.completed" },
  no_show: { icon: "⚠", label: "status.no_show" },
  cancelled: { icon: "⊘", label: "status.cancelled" },
  failed: { icon: "✕", label: "status.failed" },
  outbox: { icon: "◷", label: "status.outbox" },
  outboxCancel: { icon: "◷", label: "status.outboxCancel" },
};

export const LEGEND: DisplayStatus[] = ["confirmed", "pending", "completed", "no_show", "outbox", "outboxCancel"];

/** Statuses that still hold the time and can change. */
export const isActiveStatus = (status: AppointmentStatus) => status === "pending" || status === "confirmed";

/** "1 Termin" / "3 Termine". */
export const countLabel = (t: Translate, count: number) => (count === 1 ? t("cal.appointment") : t("cal.appointments", { count }));
