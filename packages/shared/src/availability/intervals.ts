/** Small helpers for half-open [start, end) intervals of epoch milliseconds. */
import type { Interval } from "./types.js";

/** Sorts and merges overlapping or touching intervals; drops empty ones. Returns a new array. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** `base` minus `remove`; both may be unsorted. Result is sorted, disjoint and non-touching-merged. */
export function subtractIntervals(base: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const a = mergeIntervals(base);
  const b = mergeIntervals(remove);
  if (b.length === 0) return a;
  const out: Interval[] = [];
  let j = 0;
  for (const iv of a) {
    let cur = iv.start;
    while (j < b.length && (b[j] as Interval).end <= cur) j++;
    let k = j;
    while (k < b.length && (b[k] as Interval).start < iv.end) {
      const r = b[k] as Interval;
      if (r.start > cur) out.push({ start: cur, end: r.start });
      if (r.end > cur) cur = r.end;
      if (cur >= iv.end) break;
      k++;
    }
    if (cur < iv.end) out.push({ start: cur, end: iv.end });
  }
  return out;
}

/** Index of the last element with start <= t in a list sorted by start, or -1. */
function lastStartAtOrBefore(sorted: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = sorted.length; // first index with start > t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Interval).start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Whether [start, end) lies fully inside one of `windows` (sorted, disjoint, merged). */
export function containedInOne(windows: readonly Interval[], start: number, end: number): boolean {
  const i = lastStartAtOrBefore(windows, start);
  if (i < 0) return false;
  return end <= (windows[i] as Interval).end;
}

/**
 * Answers "does any interval overlap [start, end)?" in O(log n). Intervals may overlap each other;
 * empty intervals are ignored.
 */
export class OverlapIndex {
  private readonly starts: number[];
  /** prefixMaxEnd[i] = max end of the first i + 1 intervals in start order. */
  private readonly prefixMaxEnd: number[];

  constructor(intervals: readonly Interval[]) {
    const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
    this.starts = sorted.map((i) => i.start);
    this.prefixMaxEnd = [];
    let max = -Infinity;
    for (const iv of sorted) {
      if (iv.end > max) max = iv.end;
      this.prefixMaxEnd.push(max);
    }
  }

  get size(): number {
    return this.starts.length;
  }

  overlaps(start: number, end: number): boolean {
    if (end <= start || this.starts.length === 0) return false;
    // Count intervals with start < end.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) < end) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return false;
    return (this.prefixMaxEnd[lo - 1] as number) > start;
  }
}
