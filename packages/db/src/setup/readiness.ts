/**
 * Is the company set up far enough to take a booking? A new company starts empty; it becomes bookable
 * once some active staff member works at an active branch, does an active service there (at the level
 * it needs, in the complex model) and has weekly hours there (and, in the complex model, a room of the
 * kind the service needs exists there). Pure read, one statement: the voice agent asks it to answer an
 * incompletely set-up company politely instead of failing; the owner's set-up screen shows what is missing.
 */
import type { Queryable } from "../sql.js";

/** What can be missing, in the order an owner sets a company up. */
export const READINESS_STEPS = {
  branch: "an active branch",
  service: "an active service",
  staff: "an active staff member working at an active branch",
  skill: "a staff member there who does an active service (setup.skills.set)",
  hours: "weekly hours for that staff member at that branch (schedule.setWeeklyRules)",
  room: "a room of the kind the service needs at that branch",
  active: "an active company (not suspended by AskProAI)",
} as const;
export type ReadinessGap = keyof typeof READINESS_STEPS;

export interface CompanyReadiness {
  ready: boolean;
  /** What is missing (codes of READINESS_STEPS); empty when ready. */
  missing: ReadinessGap[];
}

type Row = Record<ReadinessGap, boolean>;

/** Readiness of the company, or of one of its branches (a call that came in on that branch's number). */
export const companyReadiness = async (ctx: { companyId: string; sql: Queryable }, options: { branchId?: string } = {}): Promise<CompanyReadiness> => {
  const { rows } = await ctx.sql.query<Row>({
    name: "askproai_company_readiness",
    text: `
      WITH
      co AS (SELECT id, business_model = 'complex_service_matrix' AS complex, suspended_at IS NULL AS active FROM companies WHERE id = $1::uuid),
      br AS (SELECT id FROM branches WHERE company_id = $1::uuid AND is_active AND ($2::uuid IS NULL OR id = $2::uuid)),
      sv AS (SELECT id, required_skill_level, required_resource_kind FROM services WHERE company_id = $1::uuid AND is_active),
      st AS (
        SELECT sb.staff_id, sb.branch_id FROM staff_branches sb JOIN staff s ON s.id = sb.staff_id AND s.is_active
        WHERE sb.company_id = $1::uuid AND sb.branch_id IN (SELECT id FROM br)
      ),
      sk AS (
        SELECT st.staff_id, st.branch_id, sv.required_resource_kind FROM st
        JOIN staff_skills k ON k.company_id = $1::uuid AND k.staff_id = st.staff_id AND (k.branch_id IS NULL OR k.branch_id = st.branch_id)
        JOIN sv ON sv.id = k.service_id
        CROSS JOIN co
        WHERE NOT co.complex OR sv.required_skill_level IS NULL OR k.level >= sv.required_skill_level
      ),
      hr AS (
        SELECT sk.* FROM sk WHERE EXISTS (
          SELECT 1 FROM availability_rules r
          WHERE r.company_id = $1::uuid AND r.staff_id = sk.staff_id AND r.branch_id = sk.branch_id
            AND (r.valid_until IS NULL OR r.valid_until >= current_date))
      ),
      rm AS (
        SELECT 1 FROM hr CROSS JOIN co
        WHERE NOT co.complex OR hr.required_resource_kind IS NULL OR EXISTS (
          SELECT 1 FROM resources r
          WHERE r.company_id = $1::uuid AND r.branch_id = hr.branch_id AND r.is_active AND r.kind = hr.required_resource_kind)
      )
      SELECT COALESCE((SELECT active FROM co), false) AS active, EXISTS (SELECT 1 FROM br) AS branch, EXISTS (SELECT 1 FROM sv) AS service,
             EXISTS (SELECT 1 FROM st) AS staff, EXISTS (SELECT 1 FROM sk) AS skill, EXISTS (SELECT 1 FROM hr) AS hours,
             -- a room is missing only where everything else is there (a salon never needs one)
             (NOT EXISTS (SELECT 1 FROM hr) OR EXISTS (SELECT 1 FROM rm)) AS room`,
    values: [ctx.companyId, options.branchId ?? null],
  });
  const row = rows[0]!;
  const missing = (Object.keys(READINESS_STEPS) as ReadinessGap[]).filter((gap) => !row[gap]);
  return { ready: missing.length === 0, missing };
};
