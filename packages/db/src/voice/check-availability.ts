/**
 * check_availability: at most five free times for the service, nearest the wish first (a time → the
 * nearest times that day; a day → its free times spread over it; nothing → the soonest), each held for
 * the call a few minutes so that nobody else takes it while the caller decides.
 */
import { localDateOf, type Slot, type VoiceAnswer, type VoiceFunctionArgs } from "@askproai/shared";
import { type VoiceCall, VoiceRefusal } from "./call.js";
import { firstFreeDay, freeSlots, nearestTo, offerHeld, whyNotFree, nextDay, slotFields, soonest, spokenSlotsOf, spreadOver, type OfferQuery } from "./offers.js";
import { decideBranch, noticeText, requireDayAhead, requireOffers, resolveService, resolveStaffAnywhere, whenRefusal } from "./resolve.js";
import { spokenDay, spokenSlot, spokenSlots } from "./speech.js";
import { parseWish, type Wish } from "./when.js";

const LOOK_AHEAD_DAYS = 14;
const NEXT_DAYS = 7;

type Args = VoiceFunctionArgs["check_availability"];

/** The wish in the zone of the branch it will be served at (read again if the branch's zone differs). */
export const readWish = (call: VoiceCall, args: { start?: string; date?: string; time?: string }, zone: string): Wish => {
  const wish = parseWish(args, zone, call.ctx.now());
  if (!wish.ok) throw whenRefusal(call, wish.problem);
  return wish.value;
};

/**
 * Service, staff member, branch and wish of a request. `heldSlot` finds a slot the call holds at the
 * wished start (a booking of it goes where it is held, to whom it is held for).
 */
export const resolveRequest = async (
  call: VoiceCall,
  args: Pick<Args, "service" | "staff" | "branch"> & { start?: string; date?: string; time?: string },
  heldSlot: (start: number, staffId: string | null) => { branchId: string; staffId: string } | undefined = () => undefined,
) => {
  const staff = args.staff ? resolveStaffAnywhere(call, args.staff) : null;
  const service = resolveService(call, args.service, staff ? staff.branchIds : call.branches.map((b) => b.id));
  const firstZone = call.branches[0]?.timezone ?? "Europe/Berlin";
  let wish = readWish(call, args, firstZone);
  const held = wish.start !== null ? heldSlot(wish.start, staff?.id ?? null) : undefined;
  const branch = await decideBranch(call, { branch: args.branch, heldAt: held?.branchId, staff, serviceId: service.id, start: wish.start });
  if (branch.timezone !== firstZone) wish = readWish(call, args, branch.timezone);
  if (staff) requireOffers(call, staff, service, branch.id);
  else resolveService(call, service.id, [branch.id]); // the service must be offered at this branch
  const heldStaff = held?.branchId === branch.id ? held.staffId : null;
  return { query: { branch, service, staffId: staff?.id ?? null } satisfies OfferQuery, wish, heldStaff };
};

interface Choice {
  chosen: Slot[];
  /** The day asked for had nothing: what is offered is from this later day. */
  movedFrom?: string;
}

const choose = async (call: VoiceCall, query: OfferQuery, wish: Wish): Promise<Choice> => {
  const zone = query.branch.timezone;
  if (wish.date === null) return { chosen: soonest(await freeSlots(call, query, localDateOf(call.ctx.now(), zone), LOOK_AHEAD_DAYS)) };
  const day = await freeSlots(call, query, wish.date, 1);
  if (day.length > 0) return { chosen: wish.start !== null ? nearestTo(day, wish.start) : spreadOver(day) };
  const later = await firstFreeDay(call, query, nextDay(wish.date), NEXT_DAYS);
  return { chosen: later ? spreadOver(later.slots) : [], movedFrom: wish.date };
};

export const checkAvailability = async (call: VoiceCall, args: Args): Promise<VoiceAnswer> => {
  const { query, wish } = await resolveRequest(call, args);
  const zone = query.branch.timezone;
  if (wish.date !== null) requireDayAhead(call, wish.date, zone);
  if (wish.start !== null && wish.start <= call.ctx.now()) throw new VoiceRefusal(call.say.inPast(), "in_past");

  let choice: Choice = { chosen: [] };
  const offered = await offerHeld(call, query, async () => (choice = await choose(call, query, wish)).chosen);

  const now = call.ctx.now();
  const spoken = spokenSlotsOf(call, offered);
  let result: string;
  if (offered.length === 0) result = call.say.nothingFree();
  else if (wish.start !== null && wish.start < now + call.company.minNoticeMinutes * 60_000) {
    result = call.say.tooSoonOffer(noticeText(call), spokenSlots(call.lang, spoken, zone, now));
  } else if (choice.movedFrom) result = call.say.dayFull(spokenDay(call.lang, Date.parse(`${choice.movedFrom}T12:00:00Z`), "UTC", now), spokenSlots(call.lang, spoken, zone, now));
  else if (wish.start !== null && offered[0]!.start === wish.start) {
    result = call.say.wishFree(spokenSlot(call.lang, spoken[0]!, zone, now), spokenSlots(call.lang, spoken.slice(1), zone, now, { knownDay: wish.start }));
  } else if (wish.start !== null) {
    const taken = (await whyNotFree(call, query, wish.start)) === null;
    const said = spokenSlots(call.lang, spoken, zone, now, { knownDay: wish.start });
    result = (taken ? call.say.wishTaken : call.say.wishNotPossible)(spokenSlot(call.lang, { start: wish.start }, zone, now), said);
  }
  else result = call.say.offer(spokenSlots(call.lang, spoken, zone, now));

  return {
    ok: true,
    result,
    slots: slotFields(call, offered, zone),
    branchId: query.branch.id,
    branchName: query.branch.name,
    serviceId: query.service.id,
    serviceName: query.service.name,
  };
};
