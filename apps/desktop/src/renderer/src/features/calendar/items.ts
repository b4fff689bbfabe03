/**
 * What the calendar draws: the server's appointments with the outbox laid over them, so a change made
 * offline shows where it will be, marked pending. Cancelled appointments are not drawn. Pure.
 */
import type { RouterOutputs } from "@askproai/client";
import type { OutboxEntry, OutboxKind } from "../../../../shared/outbox";
import type { AppointmentStatus, DisplayStatus } from "./status";

export type ServerAppointment = RouterOutputs["appointments"]["list"][number];

export interface CalendarItem {
  /** Stable React key: the appointment id, or the outbox entry id of a booking not sent yet. */
  key: string;
  /** The server's id (null for a booking still in the outbox). */
  id: string | null;
  start: number;
  end: number;
  staffId: string;
  staffName: string;
  serviceId: string;
  serviceName: string;
  customerName: string;
  status: AppointmentStatus;
  display: DisplayStatus;
  version: number;
  /** The kind of change waiting in the outbox for this appointment, if any. */
  pending: OutboxKind | null;
  source: ServerAppointment["source"] | null;
}

const fromServer = (a: ServerAppointment): CalendarItem => ({
  key: a.id,
  id: a.id,
  start: Date.parse(a.start),
  end: Date.parse(a.end),
  staffId: a.staffId,
  staffName: a.staffName,
  serviceId: a.serviceId,
  serviceName: a.serviceName,
  customerName: a.customer.name,
  status: a.status,
  display: a.status,
  version: a.version,
  pending: null,
  source: a.source,
});

export const calendarItems = (server: readonly ServerAppointment[], outbox: readonly OutboxEntry[], branchId: string, range: { start: number; end: number }): CalendarItem[] => {
  const byId = new Map<string, CalendarItem>();
  for (const a of server) byId.set(a.id, fromServer(a));
  const extra: CalendarItem[] = [];
  for (const entry of outbox) {
    if (entry.state === "conflict" || entry.state === "failed") continue;
    const op = entry.operation;
    if (op.kind === "create") {
      if (op.input.branchId !== branchId) continue;
      const s = entry.summary;
      extra.push({
        key: entry.id, id: null, start: Date.parse(op.input.start), end: Date.parse(s.end),
        staffId: s.staffId, staffName: s.staffName, serviceId: s.serviceId, serviceName: s.serviceName, customerName: op.input.customer.name,
        status: "pending", display: "outbox", version: 0, pending: "create", source: "desktop",
      });
      continue;
    }
    const item = byId.get(op.input.id);
    if (!item) continue;
    if (op.kind === "reschedule") {
      const duration = item.end - item.start;
      const start = Date.parse(op.input.start);
      byId.set(item.id!, { ...item, start, end: start + duration, staffId: op.input.staffId ?? item.staffId, staffName: op.input.staffId ? entry.summary.staffName : item.staffName, display: "outbox", pending: "reschedule" });
    } else if (op.kind === "cancel") {
      byId.set(item.id!, { ...item, display: "outboxCancel", pending: "cancel" });
    } else {
      byId.set(item.id!, { ...item, status: op.kind === "complete" ? "completed" : "no_show", display: "outbox", pending: op.kind });
    }
  }
  return [...byId.values(), ...extra]
    .filter((i) => i.status !== "cancelled" || i.pending !== null)
    .filter((i) => i.end > range.start && i.start < range.end)
    .sort((a, b) => a.start - b.start || a.staffName.localeCompare(b.staffName));
};
