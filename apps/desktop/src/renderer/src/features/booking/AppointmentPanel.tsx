/**
 * One appointment: what it is, and every action on it in one step each: move (the keyboard way: pick
 * a time the server offers), completed, no-show, cancel. A refused move shows why and the server's
 * alternatives. Changes made offline wait in the outbox and say so.
 */
import type { SlotAlternative } from "@askproai/shared";
import { useEffect, useId, useRef, useState } from "react";
import type { OutboxProblem } from "../../../../shared/outbox";
import { useToast } from "../../app/toasts";
import { useNow } from "../../app/useNow";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { DateField } from "../calendar/DateField";
import { localDateOf } from "../calendar/grid";
import type { CalendarItem } from "../calendar/items";
import { isActiveStatus, STATUS_LOOK } from "../calendar/status";
import { useCustomer } from "../customers/useCustomerSearch";
import { CustomerCard } from "../customers/CustomerCard";
import { useDeskActions } from "./actions";
import { Alternatives } from "./Alternatives";
import { describeProblemText } from "./problems";
import { SlotList, type SlotListHandle } from "./SlotList";
import { useSlots } from "./useSlots";
import { useAppointment } from "./useAppointment";

interface Staff {
  id: string;
  name: string;
}

export type AppointmentCommand = "move" | "complete" | "noShow" | "cancel" | null;

export const AppointmentPanel = (props: {
  item: CalendarItem;
  branchId: string;
  zone: string;
  staff: Staff[];
  command: AppointmentCommand;
  onCommandDone(): void;
  /** A drop on the day grid: move there (the panel shows the answer). */
  moveRequest: { staffId: string; start: number } | null;
  onMoveHandled(): void;
  onClose(): void;
  onDiscard(entryKey: string): void;
}) => {
  const { item, branchId, zone, staff, command, onCommandDone, onClose } = props;
  const { t, formatIn } = useI18n();
  const fmt = formatIn(zone);
  const toast = useToast();
  const now = useNow(15_000);
  const actions = useDeskActions(zone);
  const titleId = useId();
  const detail = useAppointment(item.id);
  const [moving, setMoving] = useState(false);
  const [moveDate, setMoveDate] = useState(localDateOf(item.start, zone));
  const [moveStaff, setMoveStaff] = useState(item.staffId);
  const [problem, setProblem] = useState<{ problem: OutboxProblem; wanted: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [showCustomer, setShowCustomer] = useState(false);
  const slotList = useRef<SlotListHandle>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const slots = useSlots({ branchId, serviceId: moving ? item.serviceId : undefined, staffId: moveStaff || undefined, from: moveDate });
  const customer = useCustomer(showCustomer ? (detail.data?.customer.id ?? null) : null);

  const active = isActiveStatus(item.status) && item.pending === null && item.id !== null;
  const started = item.start <= now;
  const look = STATUS_LOOK[item.display];

  const done = (outcome: Awaited<ReturnType<typeof actions.cancel>>, success: MessageKey, wanted: number, extra?: Record<string, string>) => {
    setBusy(false);
    if (outcome.status === "rejected") setProblem({ problem: outcome.problem, wanted });
    else {
      setProblem(null);
      toast(outcome.status === "queued" ? `${t(success, extra)} · ${t("outbox.pending")}` : t(success, extra), outcome.status === "queued" ? "warning" : "success");
    }
  };

  const move = async (start: number, staffId: string) => {
    setBusy(true);
    const target = staff.find((s) => s.id === staffId) ?? { id: staffId, name: item.staffName };
    const outcome = await actions.reschedule(item, branchId, start, target);
    done(outcome, "appt.moved", start, { time: `${fmt.dayShort(start)} ${fmt.time(start)}` });
    if (outcome.status !== "rejected") setMoving(false);
  };
  const cancel = async () => (setBusy(true), done(await actions.cancel(item, branchId), "appt.cancelled", item.start));
  const complete = async () => (setBusy(true), done(await actions.complete(item, branchId), "appt.completed", item.start));
  const noShow = async () => (setBusy(true), done(await actions.markNoShow(item, branchId), "appt.noShowDone", item.start));

  // Keyboard shortcuts of the workspace arrive as commands.
  useEffect(() => {
    if (!command) return;
    onCommandDone();
    if (!active || busy) return;
    if (command === "move") setMoving(true);
    else if (command === "cancel") void cancel();
    else if (started && command === "complete") void complete();
    else if (started && command === "noShow") void noShow();
  }, [command]);

  useEffect(() => {
    if (!props.moveRequest) return;
    props.onMoveHandled();
    if (active && !busy) void move(props.moveRequest.start, props.moveRequest.staffId);
  }, [props.moveRequest]);

  // Opening "move" puts the keyboard on the offered times, once (a refetch must not steal focus).
  const focusedSlots = useRef(false);
  useEffect(() => {
    if (!moving) focusedSlots.current = false;
    else if (slots.data && !focusedSlots.current) {
      focusedSlots.current = true;
      slotList.current?.focus();
    }
  }, [moving, slots.data]);

  useEffect(() => {
    closeButton.current?.focus();
  }, [item.key]);

  const takeAlternative = (alt: SlotAlternative) => void move(Date.parse(alt.start), alt.staffId);

  return (
    <aside className="panel" aria-labelledby={titleId}>
      <header className="panel-head">
        <h2 id={titleId}>
          {t("appt.title")} · {fmt.timeRange(item.start, item.end)}
        </h2>
        <button type="button" ref={closeButton} className="icon-button" aria-label={t("close")} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">
        <p className={`status-pill status-${item.display}`}>
          <span aria-hidden="true">{look.icon}</span> {t(look.label)}
        </p>
        {item.pending && <p className="hint">{t("appt.pendingSync")}</p>}
        <dl className="facts">
          <dt>{t("appt.customer")}</dt>
          <dd>
            {item.customerName}
            {detail.data && <span className="muted"> · {detail.data.customer.phone}</span>}
          </dd>
          <dt>{t("appt.time")}</dt>
          <dd>
            {fmt.dayLong(item.start)}, {fmt.timeRange(item.start, item.end)}
          </dd>
          <dt>{t("appt.service")}</dt>
          <dd>{item.serviceName}</dd>
          <dt>{t("appt.staff")}</dt>
          <dd>{item.staffName}</dd>
          {item.source && (
            <>
              <dt>{t("appt.source")}</dt>
              <dd>{t(`source.${item.source}` as MessageKey)}</dd>
            </>
          )}
          {detail.data?.notes && (
            <>
              <dt>{t("appt.notes")}</dt>
              <dd>{detail.data.notes}</dd>
            </>
          )}
          {detail.data?.customer.notes && (
            <>
              <dt>{t("appt.customerNotes")}</dt>
              <dd>{detail.data.customer.notes}</dd>
            </>
          )}
          {detail.data && (
            <>
              <dt>{t("appt.sync")}</dt>
              <dd>{t(`sync.${detail.data.calendarSync.status}` as MessageKey)}</dd>
            </>
          )}
        </dl>

        {item.id === null && (
          <div className="panel-actions">
            <button type="button" className="danger" onClick={() => props.onDiscard(item.key)}>
              {t("tray.discard")}
            </button>
          </div>
        )}

        {item.id !== null && (
          <div className="panel-actions wrap" role="group" aria-label={t("appt.title")}>
            <button type="button" disabled={!active || busy} aria-keyshortcuts="M" onClick={() => setMoving((m) => !m)}>
              {t("appt.move")} <kbd>M</kbd>
            </button>
            <button type="button" disabled={!active || !started || busy} aria-keyshortcuts="C" title={!started ? t("appt.notStarted") : undefined} onClick={() => void complete()}>
              {t("appt.complete")} <kbd>C</kbd>
            </button>
            <button type="button" disabled={!active || !started || busy} aria-keyshortcuts="X" title={!started ? t("appt.notStarted") : undefined} onClick={() => void noShow()}>
              {t("appt.noShow")} <kbd>X</kbd>
            </button>
            <button type="button" className="danger" disabled={!active || busy} aria-keyshortcuts="Delete" onClick={() => void cancel()}>
              {t("appt.cancel")} <kbd>Entf</kbd>
            </button>
          </div>
        )}

        {problem && (
          <div className="problem" role="alert">
            <p>{describeProblemText(problem.problem, t, `${fmt.dayShort(problem.wanted)} ${fmt.time(problem.wanted)}`)}</p>
            <Alternatives alternatives={problem.problem.alternatives} fmt={fmt} onTake={takeAlternative} busy={busy} />
          </div>
        )}

        {moving && (
          <section className="move" aria-label={t("appt.moveTitle")}>
            <h3>{t("appt.moveTitle")}</h3>
            <div className="row">
              <label>
                {t("book.date")}
                <DateField value={moveDate} zone={zone} label={t("book.date")} onChange={setMoveDate} />
              </label>
              <label>
                {t("book.staff")}
                <select value={moveStaff} onChange={(e) => setMoveStaff(e.target.value)}>
                  <option value="">{t("book.anyStaff")}</option>
                  {staff.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {slots.isPending && <p className="muted">{t("book.slotsLoading")}</p>}
            {slots.data && slots.data.slots.length === 0 && <p className="muted">{t("book.noSlots")}</p>}
            <SlotList
              ref={slotList}
              label={t("appt.moveTitle")}
              disabled={busy}
              options={(slots.data?.slots ?? []).map((s) => {
                const name = staff.find((x) => x.id === s.staffId)?.name ?? "";
                return { key: `${s.start}|${s.staffId}`, label: fmt.time(s.start), ...(moveStaff ? {} : { sublabel: name.split(" ")[0] }), ariaLabel: `${fmt.timeRange(s.start, s.end)} ${name}` };
              })}
              selectedKey={null}
              onSelect={(key) => {
                const [start, staffId] = key.split("|");
                void move(Date.parse(start!), staffId!);
              }}
            />
          </section>
        )}

        {detail.data && (
          <button type="button" className="link" aria-expanded={showCustomer} onClick={() => setShowCustomer((v) => !v)}>
            {t("appt.customerCard")}
          </button>
        )}
        {showCustomer && customer.data && <CustomerCard customer={customer.data} zone={zone} />}
      </div>
    </aside>
  );
};
