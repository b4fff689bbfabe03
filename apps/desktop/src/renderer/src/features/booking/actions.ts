/**
 * Every change staff make, as one call each: the change is written to the outbox (durable, with its
 * idempotency key) and sent; the answer says whether it was confirmed, queued for later, or refused.
 */
import type { CreateAppointmentInput } from "@askproai/shared";
import { useCallback, useMemo } from "react";
import type { OutboxOperation, OutboxSummary } from "../../../../shared/outbox";
import { useDesk } from "../../app/DeskContext";
import type { CalendarItem } from "../calendar/items";
import { zonedIso } from "../calendar/grid";

export const useDeskActions = (zone: string) => {
  const { outbox } = useDesk();

  const run = useCallback(
    (operation: OutboxOperation, summary: OutboxSummary, interactive = true) =>
      outbox.enqueue({ id: crypto.randomUUID(), createdAt: new Date().toISOString(), operation, summary }, { interactive }),
    [outbox],
  );

  const summaryOf = useCallback(
    (item: CalendarItem, branchId: string): OutboxSummary => ({
      branchId,
      staffId: item.staffId,
      staffName: item.staffName,
      serviceId: item.serviceId,
      serviceName: item.serviceName,
      customerName: item.customerName,
      start: zonedIso(item.start, zone),
      end: zonedIso(item.end, zone),
    }),
    [zone],
  );

  return useMemo(
    () => ({
      book: (input: Omit<CreateAppointmentInput, "idempotencyKey">, summary: OutboxSummary) =>
        run({ kind: "create", input: { ...input, idempotencyKey: `desk-${crypto.randomUUID()}` } }, summary),
      reschedule: (item: CalendarItem, branchId: string, start: number, staff: { id: string; name: string }) => {
        const duration = item.end - item.start;
        return run(
          { kind: "reschedule", input: { id: item.id!, start: zonedIso(start, zone), staffId: staff.id, expectedVersion: item.version } },
          { ...summaryOf(item, branchId), staffId: staff.id, staffName: staff.name, start: zonedIso(start, zone), end: zonedIso(start + duration, zone) },
        );
      },
      cancel: (item: CalendarItem, branchId: string) => run({ kind: "cancel", input: { id: item.id! } }, summaryOf(item, branchId)),
      complete: (item: CalendarItem, branchId: string) => run({ kind: "complete", input: { id: item.id!, expectedVersion: item.version } }, summaryOf(item, branchId)),
      markNoShow: (item: CalendarItem, branchId: string) => run({ kind: "markNoShow", input: { id: item.id!, expectedVersion: item.version } }, summaryOf(item, branchId)),
      /** Takes back a booking that is still waiting in the outbox (never sent). */
      discard: (entryId: string) => outbox.discard(entryId),
    }),
    [run, summaryOf, zone, outbox],
  );
};
