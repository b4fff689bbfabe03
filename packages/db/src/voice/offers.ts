/**
 * Free slots as a caller hears them: computed fresh from PostgreSQL without the call's own holds
 * (a hold never hides a slot from its holder), at most five distinct times chosen for the wish
 * (nearest first; spread over the day; the soonest), and held for the call before they are said.
 */
import { addLocalDays, localDateOf, nearestAlternatives, toZonedIso, type Slot, type UnavailableReason, type VoiceSlot } from "@askproai/shared";
import { computeAvailability } from "../availability/compute.js";
import { explainStart } from "../booking/conflicts.js";
import { holdHolderOf } from "../context.js";
import type { DirBranch, DirService, VoiceCall } from "./call.js";
import { holdSlots, type HoldRequest } from "./holds.js";
import { speakStaff } from "./resolve.js";

export const MAX_OFFERED = 5;
const HOUR_MS = 3_600_000;

export interface OfferQuery {
  branch: DirBranch;
  service: DirService;
  staffId?: string | null;
}

/** Free slots of `days` local days from `from`, the call's own holds not counted. */
export const freeSlots = async (call: VoiceCall, query: OfferQuery, from: string, days: number): Promise<Slot[]> => {
  const { slots } = await computeAvailability(
    call.ctx.sql,
    call.ctx.companyId,
    { branchId: query.branch.id, serviceId: query.service.id, staffId: query.staffId ?? undefined, from, days },
    call.ctx.now(),
    { excludeHoldsOf: holdHolderOf(call.ctx.actor) },
  );
  return slots;
};

/** One slot per start (the first staff member who has it), in start order. */
const distinctStarts = (slots: readonly Slot[]) => {
  const byStart = new Map<number, Slot>();
  for (const s of slots) if (!byStart.has(s.start)) byStart.set(s.start, s);
  return [...byStart.values()].sort((a, b) => a.start - b.start);
};

/** The wished start if free, then the nearest other starts. */
export const nearestTo = (slots: readonly Slot[], start: number, limit = MAX_OFFERED): Slot[] => {
  const exact = slots.find((s) => s.start === start);
  const others = nearestAlternatives(slots, { start, staffId: null }, exact ? limit - 1 : limit).map((a) => slots.find((s) => s.start === a.start && s.staffId === a.staffId)!);
  return exact ? [exact, ...others] : others;
};

/** Up to `limit` starts spread evenly over the list (a whole day offered in a few choices). */
export const spreadOver = (slots: readonly Slot[], limit = MAX_OFFERED): Slot[] => {
  const starts = distinctStarts(slots);
  if (starts.length <= limit) return starts;
  return Array.from({ length: limit }, (_, i) => starts[Math.round((i * (starts.length - 1)) / (limit - 1))]!);
};

/** The soonest starts, at least an hour apart (filled up with closer ones when the day is short). */
export const soonest = (slots: readonly Slot[], limit = MAX_OFFERED): Slot[] => {
  const starts = distinctStarts(slots);
  const picked: Slot[] = [];
  for (const s of starts) if (picked.length < limit && (picked.length === 0 || s.start - picked[picked.length - 1]!.start >= HOUR_MS)) picked.push(s);
  for (const s of starts) if (picked.length < limit && !picked.includes(s)) picked.push(s);
  return picked.sort((a, b) => a.start - b.start);
};

/** The first day from `from` (within `days`) that has free slots, with those slots. */
export const firstFreeDay = async (call: VoiceCall, query: OfferQuery, from: string, days: number) => {
  const slots = await freeSlots(call, query, from, days);
  if (slots.length === 0) return null;
  const day = localDateOf(Math.min(...slots.map((s) => s.start)), query.branch.timezone);
  return { day, slots: slots.filter((s) => localDateOf(s.start, query.branch.timezone) === day) };
};

export const nextDay = (date: string) => addLocalDays(date, 1);

/** Holds the chosen slots for the call and answers those actually held, in the chosen order. */
export const holdOffered = async (call: VoiceCall, query: OfferQuery, chosen: readonly Slot[]): Promise<Slot[]> => {
  if (chosen.length === 0) return [];
  const { service } = query;
  const requests: HoldRequest[] = chosen.map((s) => ({
    staffId: s.staffId,
    resourceId: s.resourceId ?? null,
    start: s.start,
    end: s.start + (service.durationMinutes + service.bufferAfterMinutes) * 60_000,
    blockedFrom: s.start - service.bufferBeforeMinutes * 60_000,
  }));
  const staffBranches = chosen.flatMap((s) => call.staff.find((x) => x.id === s.staffId)?.branchIds ?? []);
  const held = await holdSlots(call.ctx, query.branch.id, requests, staffBranches);
  const key = (s: { staffId: string; start: number }) => `${s.staffId}:${s.start}`;
  const heldKeys = new Set(held.map(key));
  return chosen.filter((s) => heldKeys.has(key(s)));
};

/**
 * Chooses (`pick`, from a fresh computation) and holds, until everything chosen is held: a slot another
 * caller or the desk took in between is left out of the next computation, so the caller hears only
 * held slots and as many as there are (a few tries, then what is held).
 */
export const offerHeld = async (call: VoiceCall, query: OfferQuery, pick: () => Promise<Slot[]>): Promise<Slot[]> => {
  let held: Slot[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const chosen = await pick();
    held = await holdOffered(call, query, chosen);
    if (held.length === chosen.length) break;
  }
  return held;
};

/**
 * Why a wanted start is not free: null when it is taken, else why it could never be offered (outside
 * working hours, off the slot grid, …), from the booking core's own explanation.
 */
export const whyNotFree = async (call: VoiceCall, query: OfferQuery, start: number): Promise<UnavailableReason | null> =>
  (await explainStart(call.ctx, { branchId: query.branch.id, serviceId: query.service.id, start, staffId: query.staffId ?? null, timezone: query.branch.timezone })).reason;

/** Slots as the answer's structured field: `{ start, staffId, staffName }` with the branch's offset. */
export const slotFields = (call: VoiceCall, slots: readonly Slot[], zone: string): VoiceSlot[] =>
  slots.map((s) => ({ start: toZonedIso(s.start, zone), staffId: s.staffId, staffName: call.staff.find((x) => x.id === s.staffId)?.name ?? "" }));

/** Slots as the agent says them ("um 9 Uhr bei Lena"). */
export const spokenSlotsOf = (call: VoiceCall, slots: readonly Slot[]) => slots.map((s) => ({ start: s.start, staffName: speakStaff(call, s.staffId) }));
