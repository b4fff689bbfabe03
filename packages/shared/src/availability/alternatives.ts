/** Helpers for offering alternatives when a wanted slot is not available. */
import type { Slot } from "./types.js";

export interface WantedSlot {
  start: number;
  staffId?: string | null;
}

export interface AlternativeSlot {
  start: number;
  staffId: string;
}

/**
 * The `limit` offered start instants closest in time to `wanted.start`, at most one entry per
 * start instant.
 *
 * - Ordering: smaller |start − wanted.start| first; on equal distance the earlier start first.
 * - Per start instant the entry uses `wanted.staffId` when that staff member has the slot,
 *   otherwise the first slot with that start in input order.
 * - Excluded: the exact wanted (start, staffId) pair. Without `wanted.staffId` ("any staff") every
 *   slot at `wanted.start` is the wish itself, so that whole instant is excluded.
 * - `limit` <= 0 (or NaN) gives []; fractional limits are floored.
 */
export function nearestAlternatives(
  slots: readonly Slot[],
  wanted: WantedSlot,
  limit = 3,
): AlternativeSlot[] {
  const max = Math.floor(limit);
  if (!(max > 0)) return [];
  const wantedStaff = wanted.staffId ?? null;

  // Best slot per start instant.
  const byStart = new Map<number, AlternativeSlot>();
  for (const s of slots) {
    if (s.start === wanted.start && (wantedStaff === null || s.staffId === wantedStaff)) continue;
    const current = byStart.get(s.start);
    if (!current || (wantedStaff !== null && s.staffId === wantedStaff && current.staffId !== wantedStaff)) {
      byStart.set(s.start, { start: s.start, staffId: s.staffId });
    }
  }

  return [...byStart.values()]
    .sort((a, b) => {
      const da = Math.abs(a.start - wanted.start);
      const db = Math.abs(b.start - wanted.start);
      return da - db || a.start - b.start;
    })
    .slice(0, max);
}

/** Whether `start` is offered (by `staffId`, or by anyone when staffId is null/omitted). */
export function isSlotOffered(slots: readonly Slot[], start: number, staffId?: string | null): boolean {
  return slots.some((s) => s.start === start && (staffId === null || staffId === undefined || s.staffId === staffId));
}
