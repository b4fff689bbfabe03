/**
 * The booking panel: service, staff, day, then only the times the server offers (availability.slots),
 * then the customer (found as you type, or new inline). A refused booking shows why and the server's
 * alternatives, each one click. Offline, times come from the calendar as last loaded, and the booking
 * waits in the outbox until the server can check it.
 */
import type { SlotAlternative } from "@askproai/shared";
import { toE164 } from "@askproai/shared";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import type { OutboxProblem } from "../../../../shared/outbox";
import { useConnection } from "../../app/DeskContext";
import { useToast } from "../../app/toasts";
import { useI18n } from "../../i18n/i18n";
import { DateField } from "../calendar/DateField";
import { buildDayGrid, dayBounds, zonedIso } from "../calendar/grid";
import { calendarItems } from "../calendar/items";
import { useDayAppointments } from "../calendar/useDayAppointments";
import { CustomerPicker, type PickedCustomer } from "../customers/CustomerPicker";
import { useOutbox } from "../offline/useOutbox";
import { useDeskActions } from "./actions";
import { Alternatives } from "./Alternatives";
import { describeProblemText } from "./problems";
import { SlotList } from "./SlotList";
import { useSlots } from "./useSlots";

export interface BookingPreset {
  date: string;
  staffId?: string;
  start?: number;
  walkIn?: boolean;
}

interface Branch {
  id: string;
  name: string;
  timezone: string;
}
interface Staff {
  id: string;
  name: string;
}
interface Service {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}
interface SlotChoice {
  start: number;
  end: number;
  staffId: string;
}

/** Offline: starts on the grid where nothing known overlaps (the server decides when it is sent). */
const freeStartsFromCalendar = (opts: {
  date: string; zone: string; service: Service; staff: Staff[]; items: { staffId: string; start: number; end: number }[]; now: number;
}): SlotChoice[] => {
  const grid = buildDayGrid({ date: opts.date, zone: opts.zone });
  const length = opts.service.durationMinutes * 60_000;
  const before = opts.service.bufferBeforeMinutes * 60_000;
  const after = opts.service.bufferAfterMinutes * 60_000;
  const choices: SlotChoice[] = [];
  for (const row of grid.rows) {
    if (row.start <= opts.now) continue;
    const from = row.start - before;
    const to = row.start + length + after;
    if (row.start + length > grid.end) break;
    const staff = opts.staff.find((s) => !opts.items.some((i) => i.staffId === s.id && i.start < to && i.end > from));
    if (staff) choices.push({ start: row.start, end: row.start + length, staffId: staff.id });
  }
  return choices;
};

export const BookingPanel = (props: { branch: Branch; preset: BookingPreset; staff: Staff[]; services: Service[]; onClose(): void }) => {
  const { branch, preset, staff, services, onClose } = props;
  const zone = branch.timezone;
  const { t, formatIn } = useI18n();
  const fmt = formatIn(zone);
  const toast = useToast();
  const connection = useConnection();
  const actions = useDeskActions(zone);
  const outbox = useOutbox();
  const ids = { title: useId(), service: useId(), staff: useId(), date: useId(), customer: useId(), notes: useId() };
  const firstField = useRef<HTMLSelectElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  // The service booked last at this branch, else (and for a walk-in) the shortest one.
  const shortest = [...services].sort((a, b) => a.durationMinutes - b.durationMinutes)[0];
  const lastUsed = services.find((s) => s.id === localStorage.getItem(`askproai.lastService.${branch.id}`));
  const defaultService = preset.walkIn ? shortest : (lastUsed ?? shortest);
  const [serviceId, setServiceId] = useState(defaultService?.id ?? "");
  const [staffId, setStaffId] = useState(preset.staffId ?? "");
  const [date, setDate] = useState(preset.date);
  const [chosen, setChosen] = useState<SlotChoice | null>(null);
  const [customer, setCustomer] = useState<PickedCustomer | null>(null);
  const [notes, setNotes] = useState("");
  const [problem, setProblem] = useState<{ problem: OutboxProblem; wanted: number } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [wantedStart, setWantedStart] = useState<number | undefined>(preset.start);

  const service = services.find((s) => s.id === serviceId);
  const staffName = (id: string) => staff.find((s) => s.id === id)?.name ?? "";
  const slots = useSlots({ branchId: branch.id, serviceId, staffId: staffId || undefined, from: date });
  const day = useDayAppointments(branch.id, date, zone);

  const offline = connection === "offline" && !slots.data;
  const choices: SlotChoice[] = useMemo(() => {
    if (!service) return [];
    if (!offline) {
      const seen = new Set<number>();
      return (slots.data?.slots ?? [])
        .map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), staffId: s.staffId }))
        .filter((s) => (staffId ? true : !seen.has(s.start) && (seen.add(s.start), true)));
    }
    const items = calendarItems(day.data ?? [], outbox, branch.id, dayBounds(date, zone));
    const candidates = staffId ? staff.filter((s) => s.id === staffId) : staff;
    return freeStartsFromCalendar({ date, zone, service, staff: candidates, items, now: Date.now() });
  }, [service, offline, slots.data, staffId, day.data, outbox, branch.id, date, zone, staff]);

  // Preselect the clicked time when it is offered; a walk-in takes the earliest time offered.
  useEffect(() => {
    if (chosen || choices.length === 0) return;
    const wanted = wantedStart !== undefined ? choices.find((c) => c.start === wantedStart && (!staffId || c.staffId === staffId)) : undefined;
    if (wanted) setChosen(wanted);
    else if (preset.walkIn) setChosen(choices[0]!);
  }, [choices, chosen, wantedStart, staffId, preset.walkIn]);

  useEffect(() => {
    if (preset.walkIn) document.getElementById(ids.customer)?.focus();
    else firstField.current?.focus();
  }, [preset.walkIn, ids.customer]);

  // A refusal is shown at the top of the panel, in view, with the alternatives right under it.
  useEffect(() => {
    if (problem) problemRef.current?.scrollIntoView({ block: "nearest" });
  }, [problem]);

  const notOffered = wantedStart !== undefined && !chosen && choices.length > 0 && !choices.some((c) => c.start === wantedStart);

  const submit = async (slot: SlotChoice | null, event?: FormEvent) => {
    event?.preventDefault();
    setFormError(null);
    if (!slot || !service) return setFormError(t("book.chooseSlot"));
    if (!customer || !toE164(customer.phone, "DE")) return setFormError(t("book.chooseCustomer"));
    setBusy(true);
    const summary = {
      branchId: branch.id, staffId: slot.staffId, staffName: staffName(slot.staffId), serviceId: service.id, serviceName: service.name,
      customerName: customer.name, start: zonedIso(slot.start, zone), end: zonedIso(slot.end, zone),
    };
    const outcome = await actions.book(
      {
        branchId: branch.id, serviceId: service.id, staffId: slot.staffId, start: zonedIso(slot.start, zone),
        customer: { name: customer.name, phone: customer.phone }, ...(notes.trim() ? { notes: notes.trim() } : {}),
      },
      summary,
    );
    setBusy(false);
    localStorage.setItem(`askproai.lastService.${branch.id}`, service.id);
    const what = `${fmt.dayShort(slot.start)} ${fmt.time(slot.start)}, ${customer.name}, ${summary.staffName}`;
    if (outcome.status === "sent") {
      toast(t("book.booked", { what }), "success");
      onClose();
    } else if (outcome.status === "queued") {
      toast(t("book.queued", { what }), "warning");
      onClose();
    } else {
      setProblem({ problem: outcome.problem, wanted: slot.start });
      setChosen(null);
    }
  };

  const takeAlternative = (alt: SlotAlternative) => {
    const slot = { start: Date.parse(alt.start), end: Date.parse(alt.end), staffId: alt.staffId };
    setProblem(null);
    void submit(slot);
  };

  return (
    <aside className="panel" aria-labelledby={ids.title}>
      <header className="panel-head">
        <h2 id={ids.title}>{preset.walkIn ? t("book.walkIn") : t("book.title")}</h2>
        <button type="button" className="icon-button" aria-label={t("close")} onClick={onClose}>
          ×
        </button>
      </header>
      <form className="panel-body" onSubmit={(e) => void submit(chosen, e)}>
        {problem && (
          <div className="problem" role="alert" ref={problemRef}>
            <p>{describeProblemText(problem.problem, t, `${fmt.dayShort(problem.wanted)} ${fmt.time(problem.wanted)}`)}</p>
            <Alternatives alternatives={problem.problem.alternatives} fmt={fmt} onTake={takeAlternative} busy={busy} />
          </div>
        )}
        <label htmlFor={ids.service}>{t("book.service")}</label>
        <select id={ids.service} ref={firstField} value={serviceId} onChange={(e) => (setServiceId(e.target.value), setChosen(null))}>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.durationMinutes} min)
            </option>
          ))}
        </select>
        <label htmlFor={ids.staff}>{t("book.staff")}</label>
        <select id={ids.staff} value={staffId} onChange={(e) => (setStaffId(e.target.value), setChosen(null))}>
          <option value="">{t("book.anyStaff")}</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.date}>{t("book.date")}</label>
        <DateField
          id={ids.date}
          value={date}
          zone={zone}
          label={t("book.date")}
          onChange={(next) => {
            setDate(next);
            setChosen(null);
            setWantedStart(undefined);
          }}
        />
        <fieldset className="slots">
          <legend>
            {t("book.slots")} · {fmt.dayLong(dayBounds(date, zone).start)}
          </legend>
          {offline && <p className="hint">{t("book.offlineSlots")}</p>}
          {!offline && slots.isPending && <p className="muted">{t("book.slotsLoading")}</p>}
          {!slots.isPending && choices.length === 0 && <p className="muted">{t("book.noSlots")}</p>}
          {notOffered && wantedStart !== undefined && <p className="hint">{t("book.notOffered", { time: fmt.time(wantedStart) })}</p>}
          <SlotList
            label={t("book.slots")}
            options={choices.map((c) => ({
              key: `${c.start}-${c.staffId}`,
              label: fmt.time(c.start),
              ...(staffId ? {} : { sublabel: staffName(c.staffId).split(" ")[0] }),
              ariaLabel: `${fmt.timeRange(c.start, c.end)} ${staffName(c.staffId)}`,
            }))}
            selectedKey={chosen ? `${chosen.start}-${chosen.staffId}` : null}
            onSelect={(key) => {
              setChosen(choices.find((c) => `${c.start}-${c.staffId}` === key) ?? null);
              setWantedStart(undefined);
            }}
          />
        </fieldset>
        {chosen && (
          <p className="chosen" aria-live="polite">
            {fmt.dayShort(chosen.start)} {fmt.timeRange(chosen.start, chosen.end)} · {staffName(chosen.staffId)}
          </p>
        )}
        <CustomerPicker value={customer} onChange={setCustomer} inputId={ids.customer} />
        <label htmlFor={ids.notes}>{t("book.notes")}</label>
        <textarea id={ids.notes} rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="panel-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("book.submitting") : t("book.submit")}
          </button>
          <button type="button" onClick={onClose}>
            {t("cancel")}
          </button>
        </div>
      </form>
    </aside>
  );
};
