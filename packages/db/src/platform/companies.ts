/**
 * What platform operators (and the `company:create` command) do with companies: list, read, create
 * (empty, with an invited owner), suspend. Cross-company by nature, so these take the unscoped client;
 * every read and write of a company leaves a row in THAT company's audit log, which its owner reads
 * (`setup.auditLog`): a company always sees who of AskProAI looked at it.
 */
import { DomainError, notFound, toZonedIso, type CreateCompanyParsed, type SuspendCompanyInput } from "@askproai/shared";
import { inviteLink, issueInvite } from "../auth/invites.js";
import { poolOf, type Company, type Db } from "../client.js";
import { classifyDbError } from "../errors.js";
import { writeAudit, writeAuditRaw, type AuditActor } from "../setup/audit.js";
import { companyReadiness, type ReadinessGap } from "../setup/readiness.js";
import { inTransaction } from "../sql.js";

export interface PlatformActing {
  actor: AuditActor;
  correlationId: string;
}

export interface CompanySummary {
  id: string;
  slug: string;
  name: string;
  businessModel: Company["businessModel"];
  timezone: string;
  country: string;
  createdAt: string;
  suspendedAt: string | null;
  suspendedReason: string | null;
  ready: boolean;
  missing: ReadinessGap[];
}

const summaryOf = async (db: Db, c: Company): Promise<CompanySummary> => {
  const pool = poolOf(db);
  const readiness = await companyReadiness({ companyId: c.id, sql: { query: pool.query.bind(pool) } });
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    businessModel: c.businessModel,
    timezone: c.timezone,
    country: c.country,
    createdAt: toZonedIso(c.createdAt.getTime(), c.timezone),
    suspendedAt: c.suspendedAt ? toZonedIso(c.suspendedAt.getTime(), c.timezone) : null,
    suspendedReason: c.suspendedReason,
    ready: readiness.ready,
    missing: readiness.missing,
  };
};

/** Every company, each one's audit log noting that it was listed (one statement for all). */
export const listCompanies = async (db: Db, acting: PlatformActing): Promise<CompanySummary[]> => {
  const companies = await db.company.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  if (companies.length) {
    await poolOf(db).query(
      `INSERT INTO management_audit (id, company_id, actor_type, actor_id, actor_name, action, entity, entity_id, changes, correlation_id, created_at)
       SELECT gen_random_uuid(), c, $2, $3::uuid, $4, 'platform.companies.list', 'company', c::text, '{}'::jsonb, $5, now() FROM unnest($1::uuid[]) AS c`,
      [companies.map((c) => c.id), acting.actor.type, acting.actor.id, acting.actor.name, acting.correlationId],
    );
  }
  return Promise.all(companies.map((c) => summaryOf(db, c)));
};

export interface CompanyDetail extends CompanySummary {
  counts: { users: number; branches: number; staff: number; services: number; upcomingAppointments: number };
}

/** One company's overview; its audit log records the read before anything is answered. */
export const getCompany = async (db: Db, acting: PlatformActing, id: string): Promise<CompanyDetail> => {
  const company = await db.company.findUnique({ where: { id } });
  if (!company) throw notFound("company");
  await writeAudit(poolOf(db), id, acting.correlationId, acting.actor, { action: "platform.companies.get", entity: "company", entityId: id });
  const where = { companyId: id };
  const [users, branches, staff, services, upcomingAppointments] = await Promise.all([
    db.user.count({ where: { ...where, isActive: true } }),
    db.branch.count({ where: { ...where, isActive: true } }),
    db.staff.count({ where: { ...where, isActive: true } }),
    db.service.count({ where: { ...where, isActive: true } }),
    db.appointment.count({ where: { ...where, status: { in: ["pending", "confirmed"] }, startsAt: { gt: new Date() } } }),
  ]);
  return { ...(await summaryOf(db, company)), counts: { users, branches, staff, services, upcomingAppointments } };
};

export interface CreatedCompany {
  company: CompanySummary;
  owner: { id: string; email: string; name: string };
  /** The owner's one-time link (shown once): they set a password and then set the company up. */
  inviteUrl: string;
  inviteExpiresAt: string;
}

/**
 * A new, empty company with its owner invited, in one transaction. It takes bookings once the owner
 * has added a branch, a service, a staff member who does it, and their hours (`setup.readiness`).
 */
export const createCompany = async (db: Db, acting: PlatformActing, input: CreateCompanyParsed, links: { publicBaseUrl: string }): Promise<CreatedCompany> => {
  let created: { company: Company; owner: { id: string; email: string; name: string }; invite: { token: string; expiresAt: Date } };
  try {
    created = await db.$transaction(async (tx) => {
      if (await tx.company.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
        throw new DomainError("CONFLICT", "slug: another company has this slug", { fields: ["slug"] });
      }
      if (await tx.user.findUnique({ where: { email: input.ownerEmail }, select: { id: true } })) {
        throw new DomainError("CONFLICT", "ownerEmail: an account with this address already exists; use another address", { fields: ["ownerEmail"] });
      }
      const company = await tx.company.create({
        data: { slug: input.slug, name: input.name, businessModel: input.businessModel, timezone: input.timezone, country: input.country },
      });
      const ownerName = input.ownerName ?? input.ownerEmail.split("@")[0]!;
      const owner = await tx.user.create({
        data: { companyId: company.id, email: input.ownerEmail, name: ownerName, role: "owner", passwordHash: null },
        select: { id: true, email: true, name: true },
      });
      const invite = await issueInvite(tx, { companyId: company.id, userId: owner.id, createdBy: null, now: Date.now() });
      const audit = (action: string, entity: string, entityId: string, changes: Record<string, unknown>) =>
        writeAuditRaw(tx, company.id, acting.correlationId, acting.actor, { action, entity, entityId, changes });
      await audit("company.create", "company", company.id, { slug: company.slug, name: company.name, businessModel: company.businessModel, timezone: company.timezone, country: company.country });
      await audit("user.invite", "user", owner.id, { email: owner.email, name: owner.name, role: "owner" });
      return { company, owner, invite };
    });
  } catch (error) {
    if (error instanceof DomainError) throw error;
    // Two creations racing for one slug or address: the loser gets the same answer as above.
    if (classifyDbError(error).kind === "unique") throw new DomainError("CONFLICT", "slug or ownerEmail: already taken", { fields: ["slug", "ownerEmail"] }, { cause: error });
    throw error;
  }
  return {
    company: await summaryOf(db, created.company),
    owner: created.owner,
    inviteUrl: inviteLink(links.publicBaseUrl, created.invite.token),
    inviteExpiresAt: toZonedIso(created.invite.expiresAt.getTime(), created.company.timezone),
  };
};

/**
 * Suspends (or lifts the suspension of) a company: while suspended its users cannot log in or use a
 * session, and `companyReadiness` answers not ready (the voice agent takes no bookings).
 */
export const setCompanySuspended = async (
  db: Db,
  acting: PlatformActing,
  input: { id: string; suspend: true; reason: SuspendCompanyInput["reason"] } | { id: string; suspend: false },
): Promise<CompanySummary> => {
  const company = await inTransaction(poolOf(db), async (tx) => {
    const { rows } = await tx.query<{ suspended: boolean }>("SELECT suspended_at IS NOT NULL AS suspended FROM companies WHERE id = $1::uuid FOR UPDATE", [input.id]);
    if (!rows[0]) throw notFound("company");
    if (rows[0].suspended !== input.suspend) {
      await tx.query("UPDATE companies SET suspended_at = $2, suspended_reason = $3, updated_at = now() WHERE id = $1::uuid", [
        input.id,
        input.suspend ? new Date() : null,
        input.suspend ? input.reason : null,
      ]);
      await writeAudit(tx, input.id, acting.correlationId, acting.actor, {
        action: input.suspend ? "platform.companies.suspend" : "platform.companies.unsuspend",
        entity: "company",
        entityId: input.id,
        changes: input.suspend ? { reason: input.reason } : {},
      });
    }
    return input.id;
  });
  return summaryOf(db, (await db.company.findUnique({ where: { id: company } }))!);
};
