/**
 * The management audit log: every set-up change of a company and every platform operator's access to
 * it, with who and when. One statement, written inside the transaction of the change it records (by
 * `./change.ts` for set-up, by the platform area for operators), so a change and its audit row commit
 * together or not at all. The owner reads it with `setup.auditLog`.
 */
import { toZonedIso, type AuditLogInput } from "@askproai/shared";
import type { Actor, OperationContext } from "../context.js";
import { companyProfileOf } from "../directory/directory.js";
import type { Queryable } from "../sql.js";

export type AuditActorType = "user" | "platform_operator" | "system";

export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  name: string;
}

export interface AuditEntry {
  /** "<entity>.<verb>", e.g. "branch.create". */
  action: string;
  entity: string;
  entityId?: string | null;
  /** Field-level changes or the input; never a password, token or key. */
  changes?: Record<string, unknown>;
}

/** Who acts in an operation context: a company user, else the system (command line, maintenance). */
export const auditActorOf = (actor: Actor): AuditActor =>
  actor.type === "user" && actor.id
    ? { type: "user", id: actor.id, name: actor.name ?? "user" }
    : { type: "system", id: null, name: actor.name ?? "system" };

const INSERT_AUDIT = `INSERT INTO management_audit
    (id, company_id, actor_type, actor_id, actor_name, action, entity, entity_id, changes, correlation_id, created_at)
  VALUES (gen_random_uuid(), $1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9, now())`;

const valuesOf = (companyId: string, correlationId: string, actor: AuditActor, entry: AuditEntry) => [
  companyId,
  actor.type,
  actor.id,
  actor.name,
  entry.action,
  entry.entity,
  entry.entityId ?? null,
  JSON.stringify(entry.changes ?? {}),
  correlationId,
];

/** Inside a plain-SQL transaction. */
export const writeAudit = async (tx: Queryable, companyId: string, correlationId: string, actor: AuditActor, entry: AuditEntry) => {
  await tx.query(INSERT_AUDIT, valuesOf(companyId, correlationId, actor, entry));
};

/** What runs a statement inside a Prisma transaction, tenant-scoped or not. */
export interface RawRunner {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** Inside a Prisma transaction (same statement), for any actor (platform operators included). */
export const writeAuditRaw = async (tx: RawRunner, companyId: string, correlationId: string, actor: AuditActor, entry: AuditEntry) => {
  await tx.$executeRawUnsafe(INSERT_AUDIT, ...valuesOf(companyId, correlationId, actor, entry));
};

/** Inside a set-up change's Prisma transaction: the operation context's actor. */
export const writeAuditInPrisma = (tx: RawRunner, ctx: Pick<OperationContext, "companyId" | "correlationId" | "actor">, entry: AuditEntry) =>
  writeAuditRaw(tx, ctx.companyId, ctx.correlationId, auditActorOf(ctx.actor), entry);

/** Field-level `{ field: { from, to } }` of what an update really changed (unchanged fields left out). */
export const diff = (before: object, patch: object): Record<string, { from: unknown; to: unknown }> => {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = (before as Record<string, unknown>)[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from: from ?? null, to };
  }
  return out;
};

export interface AuditLogEntry {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  changes: unknown;
  correlationId: string;
}

/** The company's log, newest first, instants in the company's zone. */
export const listAuditLog = async (ctx: Pick<OperationContext, "db" | "companyId" | "caches" | "now">, input: AuditLogInput): Promise<AuditLogEntry[]> => {
  const { timezone } = await companyProfileOf(ctx);
  const rows = await ctx.db.managementAudit.findMany({
    where: {
      ...(input?.before ? { createdAt: { lt: new Date(input.before) } } : {}),
      ...(input?.entity ? { entity: input.entity } : {}),
      ...(input?.entityId ? { entityId: input.entityId } : {}),
    },
    orderBy: { seq: "desc" },
    take: input?.limit ?? 50,
  });
  return rows.map((r) => ({
    id: r.id,
    at: toZonedIso(r.createdAt.getTime(), timezone),
    actorType: r.actorType,
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    changes: r.changes,
    correlationId: r.correlationId,
  }));
};
