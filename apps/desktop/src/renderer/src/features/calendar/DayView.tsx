/**
 * The day: one column per staff member, a 15-minute grid in the branch's zone (from instants, see
 * grid.ts), appointments coloured by status with icon and words, buffers drawn, a now-line.
 * Keyboard: the cells are one tab stop; arrows move (↑↓ a quarter hour, ←→ a column, PgUp/PgDn an
 * hour, Home/End the day's ends), Enter books a free cell or opens the appointment in it.
 * Mouse: click a free cell to book, an appointment to open it, drag it onto another cell to move it.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent, type KeyboardEvent } from "react";
import type { Formatters } from "../../i18n/format";
import { useI18n } from "../../i18n/i18n";
import { isRecentlyChanged, recentStore } from "../live/recent";
import { rowIndexAt, rowOffset, STEP_MINUTES, type DayGrid } from "./grid";
import type { CalendarItem } from "./items";
import { countLabel, isActiveStatus, STATUS_LOOK } from "./status";

export const ROW_HEIGHT = 22;
const DRAG_TYPE = "application/x-askproai-appointment";

interface Staff {
  id: string;
  name: string;
}
interface ServiceBuffers {
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export interface DayViewProps {
  grid: DayGrid;
  staff: Staff[];
  items: CalendarItem[];
  buffers: Map<string, ServiceBuffers>;
  fmt: Formatters;
  now: number;
  selectedKey: string | null;
  dayLabel: string;
  onBook(staffId: string, start: number): void;
  onOpen(item: CalendarItem): void;
  onMove(item: CalendarItem, staffId: string, start: number): void;
}

const Block = memo(function Block(props: {
  item: CalendarItem; grid: DayGrid; fmt: Formatters; buffers: ServiceBuffers | undefined; selected: boolean; flash: boolean;
  onOpen(item: CalendarItem): void; onDragStart(item: CalendarItem, e: DragEvent): void; onDragEnd(): void;
}) {
  const { item, grid, fmt, buffers, selected, flash } = props;
  const { t } = useI18n();
  const top = rowOffset(grid, item.start) * ROW_HEIGHT;
  const height = Math.max(rowOffset(grid, item.end) * ROW_HEIGHT - top, ROW_HEIGHT);
  const look = STATUS_LOOK[item.display];
  const status = t(look.label);
  const draggable = item.id !== null && item.pending === null && isActiveStatus(item.status);
  const before = buffers ? (buffers.bufferBeforeMinutes / STEP_MINUTES) * ROW_HEIGHT : 0;
  const after = buffers ? (buffers.bufferAfterMinutes / STEP_MINUTES) * ROW_HEIGHT : 0;
  const label = `${fmt.timeRange(item.start, item.end)}, ${item.customerName}, ${item.serviceName}, ${item.staffName}, ${status}`;
  return (
    <>
      {before > 0 && <div className="buffer" aria-hidden="true" style={{ top: top - before, height: before }} title={t("cal.buffer")} />}
      {after > 0 && <div className="buffer" aria-hidden="true" style={{ top: top + height, height: after }} title={t("cal.buffer")} />}
      <button
        type="button"
        tabIndex={-1}
        className={`appt status-${item.display}${selected ? " selected" : ""}${flash ? " live-flash" : ""}${item.pending ? " is-pending" : ""}`}
        style={{ top, height }}
        aria-label={label}
        title={label}
        data-appointment-id={item.id ?? undefined}
        data-outbox-id={item.id === null ? item.key : undefined}
        data-status={item.display}
        draggable={draggable}
        onDragStart={(e) => props.onDragStart(item, e)}
        onDragEnd={props.onDragEnd}
        onClick={() => props.onOpen(item)}
      >
        <span className="appt-line">
          <span className="appt-time">{fmt.time(item.start)}</span>
          <span className="appt-icon" aria-hidden="true">
            {look.icon}
          </span>
          <span className="appt-customer">{item.customerName}</span>
        </span>
        {height >= ROW_HEIGHT * 2 && <span className="appt-service">{item.serviceName}</span>}
        {height >= ROW_HEIGHT * 3 && <span className="appt-status">{status}</span>}
      </button>
    </>
  );
});

export const DayView = (props: DayViewProps) => {
  const { grid, staff, items, buffers, fmt, now, selectedKey, onBook, onOpen, onMove } = props;
  const { t } = useI18n();
  useSyncExternalStore(recentStore.subscribe, recentStore.snapshot);
  const [focus, setFocus] = useState({ col: 0, row: Math.max(0, rowIndexAt(grid, now)) });
  const [dragging, setDragging] = useState<CalendarItem | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const cellRefs = useRef(new Map<string, HTMLButtonElement>());
  const keyboardMove = useRef(false);
  const bodyRef = useRef<HTMLDivElement>(null);

  const byStaff = useMemo(() => {
    const map = new Map<string, CalendarItem[]>();
    for (const s of staff) map.set(s.id, []);
    for (const item of items) map.get(item.staffId)?.push(item);
    return map;
  }, [items, staff]);

  /** Which appointment covers a cell (for its label and for Enter). */
  const itemAt = (staffId: string, rowStart: number) => byStaff.get(staffId)?.find((i) => i.start < rowStart + STEP_MINUTES * 60_000 && i.end > rowStart);

  const rowCount = grid.rows.length;
  const clampedFocus = { col: Math.min(focus.col, Math.max(staff.length - 1, 0)), row: Math.min(focus.row, rowCount - 1) };

  useEffect(() => {
    if (!keyboardMove.current) return;
    keyboardMove.current = false;
    cellRefs.current.get(`${clampedFocus.col}:${clampedFocus.row}`)?.focus();
  }, [clampedFocus.col, clampedFocus.row]);

  // Show the present (or the morning) when a day opens.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const nowRow = rowIndexAt(grid, now);
    const first = items[0] ? rowIndexAt(grid, items[0].start) : -1;
    const target = nowRow >= 0 ? nowRow - 4 : first >= 0 ? first - 2 : rowIndexAt(grid, grid.start + 60 * 60_000);
    body.scrollTop = Math.max(0, target) * ROW_HEIGHT;

  }, [grid.date]);

  // The first paint of a loaded day, for the end-to-end test's timing (never asserted).
  useEffect(() => {
    if (items.length === 0) return;
    requestAnimationFrame(() => performance.mark(`askproai:day-painted:${grid.date}`));
  }, [items.length > 0, grid.date]);

  const onCellKey = (event: KeyboardEvent, col: number, row: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0], PageUp: [0, -4], PageDown: [0, 4],
    };
    let next: { col: number; row: number } | null = null;
    if (moves[event.key]) {
      const [dc, dr] = moves[event.key]!;
      next = { col: Math.min(Math.max(col + dc, 0), staff.length - 1), row: Math.min(Math.max(row + dr, 0), rowCount - 1) };
    } else if (event.key === "Home") next = { col, row: 0 };
    else if (event.key === "End") next = { col, row: rowCount - 1 };
    if (next) {
      event.preventDefault();
      keyboardMove.current = true;
      setFocus(next);
    }
  };

  const activate = (staffId: string, rowStart: number) => {
    const item = itemAt(staffId, rowStart);
    if (item) onOpen(item);
    else onBook(staffId, rowStart);
  };

  const onDragStart = (item: CalendarItem, e: DragEvent) => {
    e.dataTransfer.setData(DRAG_TYPE, item.key);
    e.dataTransfer.effectAllowed = "move";
    setDragging(item);
  };
  const onDragEnd = () => {
    setDragging(null);
    setDropTarget(null);
  };
  const onCellDragOver = (e: DragEvent, id: string) => {
    if (!dragging) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (dropTarget !== id) setDropTarget(id);
  };
  const onCellDrop = (e: DragEvent, staffId: string, rowStart: number) => {
    e.preventDefault();
    const item = dragging;
    onDragEnd();
    if (item && (item.start !== rowStart || item.staffId !== staffId)) onMove(item, staffId, rowStart);
  };

  const nowTop = now >= grid.start && now < grid.end ? rowOffset(grid, now) * ROW_HEIGHT : null;
  const height = rowCount * ROW_HEIGHT;

  if (staff.length === 0) return <p className="empty">{t("cal.empty")}</p>;

  return (
    <section className={`day${dragging ? " dragging" : ""}`} aria-label={props.dayLabel} style={{ ["--columns" as string]: staff.length }}>
      <div className="day-head">
        <div className="axis-head">{t("cal.time")}</div>
        {staff.map((s) => (
          <div key={s.id} className="staff-head" id={`staff-${s.id}`}>
            <span className="staff-name">{s.name}</span>
            <span className="staff-count">{countLabel(t, byStaff.get(s.id)?.filter((i) => i.display !== "outboxCancel").length ?? 0)}</span>
          </div>
        ))}
      </div>
      <div className="day-body" ref={bodyRef}>
        <div className="day-canvas" style={{ height }}>
          <div className="axis" aria-hidden="true">
            {grid.rows.map((r) => (
              <div key={r.start} className={`axis-cell${r.isHour ? " hour" : ""}`} style={{ height: ROW_HEIGHT }}>
                {r.isHour || r.offsetLabel ? `${r.label}${r.offsetLabel ? ` (${r.offsetLabel})` : ""}` : ""}
              </div>
            ))}
          </div>
          {staff.map((s, col) => (
            <div key={s.id} className="column" role="group" aria-label={t("cal.staffColumn", { name: s.name })}>
              {grid.rows.map((r, row) => {
                const id = `${col}:${row}`;
                const covering = itemAt(s.id, r.start);
                const time = `${r.label}${r.offsetLabel ? ` (${r.offsetLabel})` : ""}`;
                const label = covering
                  ? t("cal.busy", { time, staff: s.name, what: `${covering.customerName}, ${covering.serviceName}, ${t(STATUS_LOOK[covering.display].label)}` })
                  : t("cal.free", { time, staff: s.name });
                return (
                  <button
                    key={r.start}
                    ref={(el) => {
                      if (el) cellRefs.current.set(id, el);
                      else cellRefs.current.delete(id);
                    }}
                    type="button"
                    className={`cell${r.isHour ? " hour" : ""}${dropTarget === id ? " drop-target" : ""}`}
                    style={{ height: ROW_HEIGHT }}
                    tabIndex={clampedFocus.col === col && clampedFocus.row === row ? 0 : -1}
                    aria-label={label}
                    data-staff-id={s.id}
                    data-start={new Date(r.start).toISOString()}
                    onFocus={() => (clampedFocus.col !== col || clampedFocus.row !== row) && setFocus({ col, row })}
                    onKeyDown={(e) => onCellKey(e, col, row)}
                    onClick={() => activate(s.id, r.start)}
                    onDragOver={(e) => onCellDragOver(e, id)}
                    onDragLeave={() => dropTarget === id && setDropTarget(null)}
                    onDrop={(e) => onCellDrop(e, s.id, r.start)}
                  />
                );
              })}
              {byStaff.get(s.id)?.map((item) => (
                <Block
                  key={item.key}
                  item={item}
                  grid={grid}
                  fmt={fmt}
                  buffers={buffers.get(item.serviceId)}
                  selected={selectedKey === item.key}
                  flash={isRecentlyChanged(item.id)}
                  onOpen={onOpen}
                  onDragStart={onDragStart}
                  onDragEnd={onDragEnd}
                />
              ))}
            </div>
          ))}
          {nowTop !== null && (
            <div className="now-line" style={{ top: nowTop }} aria-hidden="true">
              <span>{fmt.time(now)}</span>
            </div>
          )}
        </div>
      </div>
    </section>
  );
};
