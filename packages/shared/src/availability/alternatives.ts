/** Helpers for offering alternatives when a wanted slot is not available. */
import type { Slot } from "./types.js";

export interface WantedSlot {
  start: number;
  staffId?: string | null;
  /** false: `start` is only where to look from (e.g. the soonest bookable time), so it may be offered itself. */
  excludeItself?: boolean;
}

export interface AlternativeSlot {
  start: number;
  end: number;
  staffId: string;
}

const byDistanceFrom = (wanted: number) => (a: Slot, b: Slot) => Math.abs(a.start - wanted) - Math.abs(b.start - wanted) || a.start - b.start;

/**
 * Up to `limit` offered slots near `wanted.start`, the wanted staff member's own first.
 *
 * - With `wanted.staffId`: that staff member's slots closest in time (their wanted start itself
 *   excluded), then other staff members' slots at other instants (or at the wanted start: the same
 *   time with someone else), closest first. Without: the slots closest in time, the wanted start
 *   excluded (every slot there is the wish itself).
 * - At most one entry per start instant; among other staff the first slot of an instant in input
 *   order. On equal distance the earlier start comes first.
 * - `excludeItself: false` offers the wanted start too (it was only where to look from).
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
  const byDistance = byDistanceFrom(wanted.start);
  const isWish = (start: number) => wanted.excludeItself !== false && start === wanted.start;

  const own = wantedStaff === null ? [] : slots.filter((s) => s.staffId === wantedStaff && !isWish(s.start)).sort(byDistance).slice(0, max);
  const used = new Set(own.map((s) => s.start));
  const others = new Map<number, Slot>();
  for (const s of slots) {
    if (s.staffId === wantedStaff || used.has(s.start) || others.has(s.start)) continue;
    if (wantedStaff === null && isWish(s.start)) continue;
    others.set(s.start, s);
  }
  return [...own, ...[...others.values()].sort(byDistance)]
    .slice(0, max)
    .map((s) => ({ start: s.start, end: s.end, staffId: s.staffId }));
}

/** Whether `start` is offered (by `staffId`, or by anyone when staffId is null/omitted). */
export function isSlotOffered(slots: readonly Slot[], start: number, staffId?: string | null): boolean {
  return slots.some((s) => s.start === start && (staffId === null || staffId === undefined || s.staffId === staffId));
}
