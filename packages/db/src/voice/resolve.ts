/**
 * From what the caller said to ids: service, staff member and branch matched forgivingly
 * (matching.ts), the branch decided (named, implied by the staff member, the number called, or hotline
 * routing), and the refusals that tell the agent what to ask when a name fits nothing or several.
 */
import { localDateOf } from "@askproai/shared";
import { routeCall } from "./routing.js";
import { offers, VoiceRefusal, type DirBranch, type DirService, type DirStaff, type VoiceCall } from "./call.js";
import { matchName, type NameMatch, type NamedItem } from "./matching.js";
import { joinList, spokenStaffName } from "./speech.js";
import type { WhenProblem } from "./when.js";

// English names of German cities a caller (or an English-speaking model) may use.
const CITY_ALIASES: Record<string, string[]> = { münchen: ["Munich"], köln: ["Cologne"], nürnberg: ["Nuremberg"], braunschweig: ["Brunswick"] };

export const branchItems = (branches: DirBranch[]) =>
  branches.map((b) => ({ ...b, aliases: b.city ? [b.city, ...(CITY_ALIASES[b.city.toLowerCase()] ?? [])] : [] }));

export const staffStyle = (call: VoiceCall) => (call.company.businessModel === "multi_branch_hotline" ? "full_name" : "first_name");
export const speakStaff = (call: VoiceCall, staffId: string) => {
  const staff = call.staff.find((s) => s.id === staffId);
  return staff ? spokenStaffName(staff.name, staffStyle(call)) : "";
};

const oneOf = <T extends NamedItem>(call: VoiceCall, match: NameMatch<T>, options: T[], unknown: (names: string) => string, reason: string): T => {
  if (match.kind === "match") return match.item;
  if (match.kind === "ambiguous") {
    throw new VoiceRefusal(call.say.which(joinList(call.lang, match.items.map((i) => i.name), "or")), `ambiguous_${reason}`, { options: match.items.map((i) => i.name) });
  }
  throw new VoiceRefusal(unknown(joinList(call.lang, options.map((i) => i.name))), `unknown_${reason}`, { options: options.map((i) => i.name) });
};

/** Services offered at any of `branchIds` (the names the agent may offer). */
const servicesAt = (call: VoiceCall, branchIds: string[]) =>
  call.services.filter((service) => call.staff.some((staff) => branchIds.some((b) => offers(staff, service, b))));

export const resolveService = (call: VoiceCall, name: string | undefined, branchIds: string[]): DirService => {
  const options = servicesAt(call, branchIds);
  if (!name) throw new VoiceRefusal(call.say.needService(), "missing_service", { options: options.map((s) => s.name) });
  return oneOf(call, matchName(name, options.length > 0 ? options : call.services), options, call.say.unknownService, "service");
};

export const resolveBranch = (call: VoiceCall, name: string): DirBranch => {
  const items = branchItems(call.branches);
  const names = call.branches.map((b) => b.city ?? b.name);
  const match = matchName(name, items);
  if (match.kind === "match") return call.branches.find((b) => b.id === match.item.id)!;
  if (match.kind === "ambiguous") throw new VoiceRefusal(call.say.which(joinList(call.lang, match.items.map((b) => b.name), "or")), "ambiguous_branch");
  throw new VoiceRefusal(call.say.unknownBranch(joinList(call.lang, names)), "unknown_branch", { options: names });
};

/** A staff member by name among everyone the call can reach (a hotline caller may name someone at another branch). */
export const resolveStaffAnywhere = (call: VoiceCall, name: string): DirStaff => {
  const reachable = call.staff.filter((s) => s.branchIds.some((b) => call.branches.some((x) => x.id === b)));
  return oneOf(call, matchName(name, reachable), reachable, call.say.unknownStaff, "staff");
};

/** The staff member must offer the service at the branch; otherwise the agent hears who does. */
export const requireOffers = (call: VoiceCall, staff: DirStaff, service: DirService, branchId: string) => {
  if (offers(staff, service, branchId)) return;
  const who = call.staff.filter((s) => offers(s, service, branchId)).map((s) => spokenStaffName(s.name, staffStyle(call)));
  throw new VoiceRefusal(call.say.staffNotForService(spokenStaffName(staff.name, staffStyle(call)), joinList(call.lang, who, "or")), "staff_not_for_service", { options: who });
};

/**
 * The branch for a request: the one named; else the one where the call holds the wanted slot; else
 * the named staff member's; else the number's own; else (hotline) routing by the caller's area code
 * and availability at the wanted time.
 */
export const decideBranch = async (
  call: VoiceCall,
  wish: { branch?: string; heldAt?: string | null; staff?: DirStaff | null; serviceId?: string; start?: number | null },
): Promise<DirBranch> => {
  if (wish.branch) return resolveBranch(call, wish.branch);
  const reachable = (id: string) => call.branches.find((b) => b.id === id);
  const held = wish.heldAt ? reachable(wish.heldAt) : undefined;
  if (held) return held;
  if (wish.staff) {
    const own = call.target.kind === "branch" && wish.staff.branchIds.includes(call.target.branchId) ? reachable(call.target.branchId) : undefined;
    const theirs = own ?? wish.staff.branchIds.map(reachable).find((b) => b !== undefined);
    if (theirs) return theirs;
  }
  if (call.target.kind === "branch") {
    const own = reachable(call.target.branchId);
    if (own) return own;
  }
  if (call.routingNumber && wish.serviceId) {
    const request = { toNumber: call.routingNumber, callerPhone: call.callerPhone, serviceId: wish.serviceId, now: call.ctx.now() };
    const routed = await routeCall(call.db, { ...request, wantedStart: wish.start ?? null });
    // Nobody free at the wanted time: the caller's nearest branch anyway, whose alternatives they then hear.
    const decided = routed.branchId ?? (await routeCall(call.db, request)).branchId;
    const branch = decided ? reachable(decided) : undefined;
    if (branch) return branch;
  }
  const first = call.branches[0];
  if (!first) throw new VoiceRefusal(call.say.notReady(), "no_branch");
  return first;
};

const WHEN_PROBLEMS = { bad_date: "badDate", bad_time: "badTime", no_such_local_time: "noSuchLocalTime" } as const;

/** A date or time the agent passed that cannot be read: the caller is asked again. */
export const whenRefusal = (call: VoiceCall, problem: WhenProblem) => new VoiceRefusal(call.say[WHEN_PROBLEMS[problem]](), problem);

export const noticeText = (call: VoiceCall) => {
  const minutes = call.company.minNoticeMinutes;
  const en = call.lang === "en";
  if (minutes % 60 !== 0) return `${minutes} ${en ? "minutes" : "Minuten"}`;
  const hours = minutes / 60;
  return en ? `${hours} hour${hours === 1 ? "" : "s"}` : `${hours} Stunde${hours === 1 ? "" : "n"}`;
};

/** A start must lie ahead, beyond the company's minimum notice and within its horizon. */
export const requireBookable = (call: VoiceCall, start: number) => {
  const now = call.ctx.now();
  if (start <= now) throw new VoiceRefusal(call.say.inPast(), "in_past");
  if (start < now + call.company.minNoticeMinutes * 60_000) throw new VoiceRefusal(call.say.tooSoon(noticeText(call)), "too_soon");
  if (start > now + call.company.horizonDays * 86_400_000) throw new VoiceRefusal(call.say.tooFar(), "too_far");
};

/** A day asked for must not be over, nor beyond the horizon. */
export const requireDayAhead = (call: VoiceCall, date: string, zone: string) => {
  const now = call.ctx.now();
  if (date < localDateOf(now, zone)) throw new VoiceRefusal(call.say.inPast(), "in_past");
  if (date > localDateOf(now + call.company.horizonDays * 86_400_000, zone)) throw new VoiceRefusal(call.say.tooFar(), "too_far");
};
