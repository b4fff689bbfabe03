/**
 * Loads everything the pure availability computation needs for one branch and service in ONE round trip
 * (a single SQL statement building JSON). The same loader serves availability queries, the recheck
 * inside a booking transaction, and conflict alternatives, so they can never disagree.
 *
 * Plain SQL (../sql.ts) bypasses the tenant extension: every table below is filtered by company_id explicitly.
 */
import { notFound, type AvailabilityInput, type BusinessModel } from "@askproai/shared";
import { blockingSql } from "../booking/statuses.js";
import { params, type Queryable } from "../sql.js";

export interface LoadRequest {
  companyId: string;
  branchId: string;
  serviceId: string;
  /** Limit to these staff members (a booking's recheck); omitted = every staff member of the branch. */
  staffIds?: string[];
  /** Instant range whose busy intervals, exceptions and locks matter. */
  from: number;
  to: number;
  /** Ignore this appointment's own time (a reschedule must not collide with itself). */
  excludeAppointmentId?: string;
  /** Ignore this lock (the booking's own). */
  excludeLockId?: string;
  /**
   * Count only holds, not other bookings' in-flight locks. Used by the recheck inside a booking
   * transaction: two overlapping bookings with different starts would otherwise each see the other's
   * lock and both give up; there the EXCLUDE constraint decides which one wins.
   */
  holdsOnly?: boolean;
  /** Ignore the holds of this holder: a caller's own holds never hide slots from that caller. */
  excludeHoldsOf?: string | null;
}

export interface LoadedContext {
  company: { id: string; businessModel: BusinessModel; minNoticeMinutes: number; horizonDays: number; slotStepMinutes: number; calcomSyncEnabled: boolean };
  branch: { id: string; timezone: string };
  service: AvailabilityInput["service"] & { priceMinor: number; currency: string };
  /** With their names, for alternatives a caller hears. */
  staff: (AvailabilityInput["staff"][number] & { name: string })[];
  /** Every branch each staff member works at (a booking there changes their availability here too). */
  staffBranches: Record<string, string[]>;
  rules: AvailabilityInput["rules"];
  exceptions: AvailabilityInput["exceptions"];
  busy: AvailabilityInput["busy"];
  resources: AvailabilityInput["resources"];
}

type Row = { ctx: Omit<LoadedContext, "staffBranches"> & { staffBranches: { staffId: string; branchIds: string[] }[] | null } | null };

const buildStatement = (req: LoadRequest) => {
  const { values, p } = params();
  const co = p(req.companyId, "uuid");
  const br = p(req.branchId, "uuid");
  const sv = p(req.serviceId, "uuid");
  const staffIds = p(req.staffIds ?? null, "uuid[]");
  const from = p(new Date(req.from), "timestamptz");
  const to = p(new Date(req.to), "timestamptz");
  const excludeAppointment = p(req.excludeAppointmentId ?? null, "uuid");
  const excludeLock = p(req.excludeLockId ?? null, "uuid");
  const holdsOnly = p(req.holdsOnly ?? false, "boolean");
  const ownHolds = p(req.excludeHoldsOf ?? null, "text");
  const text = `
    WITH
    co AS (
      SELECT id, business_model, min_notice_minutes, horizon_days, slot_step_minutes, calcom_sync_enabled
      FROM companies WHERE id = ${co}
    ),
    br AS (
      SELECT id, timezone FROM branches WHERE id = ${br} AND company_id = ${co} AND is_active
    ),
    svc AS (
      SELECT id, duration_minutes, buffer_before_minutes, buffer_after_minutes, required_skill_level,
             required_resource_kind, price_minor, currency
      FROM services WHERE id = ${sv} AND company_id = ${co} AND is_active
    ),
    st AS (
      SELECT s.id, s.name,
             COALESCE(json_agg(json_build_object('serviceId', k.service_id, 'level', k.level))
                      FILTER (WHERE k.id IS NOT NULL), '[]'::json) AS skills
      FROM staff s
      JOIN staff_branches sb ON sb.staff_id = s.id AND sb.branch_id = ${br}
      LEFT JOIN staff_skills k ON k.staff_id = s.id AND k.service_id = ${sv} AND (k.branch_id IS NULL OR k.branch_id = ${br})
      WHERE s.company_id = ${co} AND s.is_active AND (${staffIds} IS NULL OR s.id = ANY(${staffIds}))
      GROUP BY s.id
    ),
    res AS (
      SELECT r.id, r.kind FROM resources r, svc
      WHERE r.company_id = ${co} AND r.branch_id = ${br} AND r.is_active AND r.kind = svc.required_resource_kind
    )
    SELECT json_build_object(
      'company', (SELECT json_build_object('id', id, 'businessModel', business_model, 'minNoticeMinutes', min_notice_minutes,
                  'horizonDays', horizon_days, 'slotStepMinutes', slot_step_minutes, 'calcomSyncEnabled', calcom_sync_enabled) FROM co),
      'branch', (SELECT json_build_object('id', id, 'timezone', timezone) FROM br),
      'service', (SELECT json_build_object('id', id, 'durationMinutes', duration_minutes, 'bufferBeforeMinutes', buffer_before_minutes,
                  'bufferAfterMinutes', buffer_after_minutes, 'requiredSkillLevel', required_skill_level,
                  'requiredResourceKind', required_resource_kind, 'priceMinor', price_minor, 'currency', currency) FROM svc),
      'staff', COALESCE((SELECT json_agg(json_build_object('id', id, 'name', name, 'offersService', json_array_length(skills) > 0, 'skills', skills) ORDER BY id) FROM st), '[]'::json),
      'staffBranches', (SELECT json_agg(json_build_object('staffId', sb.staff_id, 'branchIds', sb.branch_ids))
                        FROM (SELECT staff_id, array_agg(branch_id) AS branch_ids FROM staff_branches
                              WHERE company_id = ${co} AND staff_id IN (SELECT id FROM st) GROUP BY staff_id) sb),
      'rules', COALESCE((SELECT json_agg(json_build_object('staffId', r.staff_id, 'weekday', r.weekday, 'startMinute', r.start_minute,
                  'endMinute', r.end_minute, 'validFrom', r.valid_from::text, 'validUntil', r.valid_until::text))
                FROM availability_rules r
                WHERE r.company_id = ${co} AND r.branch_id = ${br} AND r.staff_id IN (SELECT id FROM st)), '[]'::json),
      'exceptions', COALESCE((SELECT json_agg(json_build_object('staffId', e.staff_id, 'kind', e.kind,
                  'start', extract(epoch FROM e.starts_at) * 1000, 'end', extract(epoch FROM e.ends_at) * 1000))
                FROM availability_exceptions e
                WHERE e.company_id = ${co} AND (e.branch_id IS NULL OR e.branch_id = ${br})
                  AND (e.staff_id IS NULL OR e.staff_id IN (SELECT id FROM st))
                  AND e.starts_at < ${to} AND e.ends_at > ${from}), '[]'::json),
      'busy', COALESCE((SELECT json_agg(json_build_object('staffId', b.staff_id, 'resourceId', b.resource_id, 'start', b.s, 'end', b.e))
                FROM (
                  SELECT a.staff_id, a.resource_id, extract(epoch FROM a.blocked_from) * 1000 AS s, extract(epoch FROM a.blocked_until) * 1000 AS e
                  FROM appointments a
                  WHERE a.company_id = ${co} AND ${blockingSql("a")}
                    AND (a.staff_id IN (SELECT id FROM st) OR a.resource_id IN (SELECT id FROM res))
                    AND a.blocked_from < ${to} AND a.blocked_until > ${from}
                    AND (${excludeAppointment} IS NULL OR a.id <> ${excludeAppointment})
                  UNION ALL
                  SELECT l.staff_id, l.resource_id, extract(epoch FROM l.starts_at) * 1000, extract(epoch FROM l.ends_at) * 1000
                  FROM appointment_locks l
                  WHERE l.company_id = ${co} AND l.expires_at > now()
                    AND (l.staff_id IN (SELECT id FROM st) OR l.resource_id IN (SELECT id FROM res))
                    AND l.starts_at < ${to} AND l.ends_at > ${from}
                    AND (${excludeLock} IS NULL OR l.id <> ${excludeLock})
                    AND (NOT ${holdsOnly} OR l.kind = 'hold')
                    AND (${ownHolds} IS NULL OR l.kind <> 'hold' OR l.holder <> ${ownHolds})
                ) b), '[]'::json),
      'resources', COALESCE((SELECT json_agg(json_build_object('id', id, 'kind', kind) ORDER BY id) FROM res), '[]'::json)
    ) AS ctx`;
  return { name: "askproai_load_availability", text, values };
};

export const loadAvailabilityContext = async (db: Queryable, req: LoadRequest): Promise<LoadedContext> => {
  const { rows } = await db.query<Row>(buildStatement(req));
  const ctx = rows[0]?.ctx;
  // A company that no longer exists has no branches either: the same answer as a foreign branch.
  if (!ctx?.company) throw notFound("branch");
  if (!ctx.branch) throw notFound("branch");
  if (!ctx.service) throw notFound("service");
  const staffBranches: Record<string, string[]> = {};
  for (const entry of ctx.staffBranches ?? []) staffBranches[entry.staffId] = entry.branchIds;
  return { ...ctx, staffBranches };
};
