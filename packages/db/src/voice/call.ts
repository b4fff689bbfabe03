/**
 * One voice function call, opened: which company and branch the number called belongs to, who is
 * calling (E.164, or null when the number is withheld), the company's language, and its directory
 * (branches, services, staff with their skills) in one statement, for matching names and for speaking.
 */
import { normalizePhone, phoneSchema, toE164, type BusinessModel } from "@askproai/shared";
import type { BillingStatus } from "../billing/state.js";
import type { Db } from "../client.js";
import { contextFor, type DomainDeps, type OperationContext, type OperationLog } from "../context.js";
import { companyReadiness, type CompanyReadiness } from "../setup/readiness.js";
import { phrasesFor, type Phrases } from "./phrases.js";
import { resolveInboundNumber, type InboundTarget } from "./routing.js";
import { languageOf, type Language } from "./speech.js";

export interface DirBranch {
  id: string;
  name: string;
  city: string | null;
  timezone: string;
  phoneNumber: string | null;
}
export interface DirService {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  requiredSkillLevel: number | null;
}
export interface DirStaff {
  id: string;
  name: string;
  branchIds: string[];
  skills: { serviceId: string; branchId: string | null; level: number }[];
}
export interface VoiceCompany {
  id: string;
  name: string;
  /** The company's language (`message_language`: what its customers are spoken and written to in). */
  language: string;
  /** ISO 3166 alpha-2: national phone numbers are read in it. */
  country: string;
  businessModel: BusinessModel;
  minNoticeMinutes: number;
  horizonDays: number;
  /** Billing (Stripe): decides whether the agent may book (billing/state.ts `voiceBookingAllowed`). */
  billingStatus: BillingStatus;
  billingPeriodEnd: string | null;
}

export interface VoiceCall {
  /** Whether the company (or the called branch) is set up far enough to take a booking. */
  readiness: CompanyReadiness;
  ctx: OperationContext;
  /** The unscoped client, for hotline routing only (a system-level lookup by the number called). */
  db: Db;
  retellCallId: string;
  /** The number the call is routed by (the number called, or the company's own for a web call). */
  routingNumber: string | null;
  /** E.164, or null when the caller's number is withheld or unusable. */
  callerPhone: string | null;
  lang: Language;
  say: Phrases;
  company: VoiceCompany;
  target: InboundTarget;
  /** Active branches the call can reach: the hotline's, else the company's (the called branch first). */
  branches: DirBranch[];
  services: DirService[];
  staff: DirStaff[];
}

/** A speakable "no" with a machine-readable reason beside it; never an HTTP error. */
export class VoiceRefusal extends Error {
  override readonly name = "VoiceRefusal";
  constructor(
    readonly result: string,
    readonly reason: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

const WITHHELD = /^(anonymous|unknown|private|restricted|unavailable|withheld)$/i;

/** The caller's number as E.164, or null for a withheld or unusable one. */
export const callerPhoneOf = (fromNumber: string | null | undefined): string | null => {
  if (!fromNumber || WITHHELD.test(fromNumber.trim())) return null;
  const parsed = phoneSchema.safeParse(normalizePhone(fromNumber));
  return parsed.success ? parsed.data : null;
};

interface DirectoryRow {
  company: VoiceCompany & { hotline: string | null };
  branches: DirBranch[] | null;
  services: DirService[] | null;
  staff: DirStaff[] | null;
}

const loadDirectory = async (ctx: OperationContext) => {
  const { rows } = await ctx.sql.query<{ dir: DirectoryRow | null }>({
    name: "askproai_voice_directory",
    text: `SELECT json_build_object(
      'company', (SELECT json_build_object('id', id, 'name', name, 'language', message_language, 'country', country, 'businessModel', business_model,
                    'minNoticeMinutes', min_notice_minutes, 'horizonDays', horizon_days,
                    'billingStatus', billing_status, 'billingPeriodEnd', billing_period_end,
                    'hotline', (SELECT phone_number FROM hotline_numbers h WHERE h.company_id = c.id ORDER BY created_at LIMIT 1))
                  FROM companies c WHERE id = $1::uuid),
      'branches', (SELECT json_agg(json_build_object('id', id, 'name', name, 'city', city, 'timezone', timezone, 'phoneNumber', phone_number) ORDER BY name)
                   FROM branches WHERE company_id = $1::uuid AND is_active),
      'services', (SELECT json_agg(json_build_object('id', id, 'name', name, 'durationMinutes', duration_minutes,
                     'bufferBeforeMinutes', buffer_before_minutes, 'bufferAfterMinutes', buffer_after_minutes,
                     'requiredSkillLevel', required_skill_level) ORDER BY name)
                   FROM services WHERE company_id = $1::uuid AND is_active),
      'staff', (SELECT json_agg(json_build_object('id', s.id, 'name', s.name,
                  'branchIds', COALESCE((SELECT json_agg(sb.branch_id) FROM staff_branches sb WHERE sb.company_id = $1::uuid AND sb.staff_id = s.id), '[]'::json),
                  'skills', COALESCE((SELECT json_agg(json_build_object('serviceId', k.service_id, 'branchId', k.branch_id, 'level', k.level))
                                      FROM staff_skills k WHERE k.company_id = $1::uuid AND k.staff_id = s.id), '[]'::json)) ORDER BY s.name)
                FROM staff s WHERE s.company_id = $1::uuid AND s.is_active)
    ) AS dir`,
    values: [ctx.companyId],
  });
  return rows[0]!.dir!;
};

/** The number a call came in on, or for a call without one (a web call) the agent's company. System-level lookup. */
const targetOf = async (db: Db, call: { to_number?: string | null; agent_id?: string | null }): Promise<{ target: InboundTarget; number: string } | null> => {
  const toNumber = call.to_number ? normalizePhone(call.to_number) : null;
  if (toNumber) return resolveInboundNumber(db, toNumber).then((target) => ({ target, number: toNumber }), () => null);
  if (!call.agent_id) return null;
  const company = await db.company.findUnique({
    where: { retellAgentId: call.agent_id },
    select: { hotlineNumbers: { select: { phoneNumber: true }, take: 1 }, branches: { where: { isActive: true, phoneNumber: { not: null } }, select: { phoneNumber: true }, orderBy: { name: "asc" }, take: 1 } },
  });
  const number = company?.hotlineNumbers[0]?.phoneNumber ?? company?.branches[0]?.phoneNumber;
  return number ? resolveInboundNumber(db, number).then((target) => ({ target, number }), () => null) : null;
};

export interface OpenCallRequest {
  call: { call_id: string; agent_id?: string | null; from_number?: string | null; to_number?: string | null };
  correlationId: string;
  log?: OperationLog;
  now?: () => number;
}

/** The call, or null when the number belongs to no company (the answer is then a polite refusal). */
export const openCall = async (deps: DomainDeps, request: OpenCallRequest): Promise<VoiceCall | null> => {
  const found = await targetOf(deps.db, request.call);
  if (!found) return null;
  const { target } = found;
  const ctx = contextFor(deps, {
    companyId: target.companyId,
    correlationId: request.correlationId,
    actor: { type: "voice_agent", id: request.call.call_id },
    source: "voice",
    log: request.log,
    now: request.now,
  });
  const [dir, readiness] = await Promise.all([
    loadDirectory(ctx),
    companyReadiness(ctx, target.kind === "branch" ? { branchId: target.branchId } : {}),
  ]);
  const all = dir.branches ?? [];
  const reachable = target.kind === "hotline" ? all.filter((b) => target.branchIds.includes(b.id)) : [...all.filter((b) => b.id === target.branchId), ...all.filter((b) => b.id !== target.branchId)];
  const lang = languageOf(dir.company.language);
  return {
    ctx,
    readiness,
    db: deps.db,
    retellCallId: request.call.call_id,
    routingNumber: found.number,
    callerPhone: callerPhoneOf(request.call.from_number),
    lang,
    say: phrasesFor(lang),
    company: dir.company,
    target,
    branches: reachable,
    services: dir.services ?? [],
    staff: dir.staff ?? [],
  };
};

/** Whether the staff member offers the service at the branch (and, in the skill matrix, is skilled enough). */
export const offers = (staff: DirStaff, service: DirService, branchId: string) =>
  staff.branchIds.includes(branchId) &&
  staff.skills.some((k) => k.serviceId === service.id && (k.branchId === null || k.branchId === branchId) && k.level >= (service.requiredSkillLevel ?? 0));

/** The zone the call's times are read and said in. */
export const zoneOfBranch = (call: VoiceCall, branchId: string) => call.branches.find((b) => b.id === branchId)?.timezone ?? "Europe/Berlin";

/** A number the caller gave ("0151 1234567", "+49 151 …") as E.164, read in the company's country. */
export const phoneOfCustomer = (call: VoiceCall, raw: string): string | null => toE164(raw, call.company.country);
