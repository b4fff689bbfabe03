/**
 * The one context every domain operation takes, whoever calls it: the desk (tRPC), the voice agent,
 * webhook processors and the worker all build it with `contextFor()`. It carries only company-bound
 * handles: the tenant-scoped Prisma client and a SQL runner whose statements filter by `companyId`.
 * The unscoped client stays in `DomainDeps`, which domain operations never receive.
 */
import type { ActorType, AppointmentSource } from "./generated/prisma/enums.js";
import { poolOf, type Db } from "./client.js";
import { inTransaction, type Queryable } from "./sql.js";
import { forCompany, type TenantDb } from "./tenant.js";
import type { AnswerCache } from "./availability/answer.js";
import { ProcessCaches } from "./process-caches.js";

export interface Actor {
  type: ActorType;
  /** The user's id; for the voice agent the Retell call id it acts in. */
  id?: string | null;
  /** Shown in the management audit log (the name at the time of the change). */
  name?: string;
}

/** The Retell call a voice agent acts in (recorded on what it books), else null. */
export const retellCallOf = (actor: Actor): string | null => (actor.type === "voice_agent" && actor.id ? actor.id : null);

/**
 * Whose holds (appointment_locks of kind `hold`) this actor may book through: a voice call's own. A
 * hold keeps a slot from everyone else while the caller decides, and never from the caller.
 */
export const holdHolderOf = (actor: Actor): string | null => {
  const call = retellCallOf(actor);
  return call ? `call:${call}` : null;
};

/** pino's Logger fits; domain code needs no more than this. */
export interface OperationLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silentLog: OperationLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What a process builds once (API, worker, a test) and hands to `contextFor`. */
export interface DomainDeps {
  db: Db;
  /** null = no shared cache (e.g. a worker without Redis); availability is then computed fresh. */
  cache: AnswerCache | null;
  /** Per-process copies of rarely changing rows, with expiry and invalidation. */
  caches: ProcessCaches;
}

export const createDomainDeps = (db: Db, cache: AnswerCache | null): DomainDeps => ({ db, cache, caches: new ProcessCaches() });

/**
 * Plain SQL for the hot paths, bound to one company. Raw SQL bypasses the tenant extension, so every
 * statement run through it must filter by `companyId` (the integration tests plant cross-company rows).
 */
export interface CompanySql {
  readonly companyId: string;
  query: Queryable["query"];
  /** One transaction on one connection; rolls back on any error. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface OperationContext {
  readonly companyId: string;
  /** Tenant-scoped Prisma client: every read filtered by, every write stamped with `companyId`. */
  readonly db: TenantDb;
  readonly sql: CompanySql;
  readonly cache: AnswerCache | null;
  readonly caches: ProcessCaches;
  readonly correlationId: string;
  readonly actor: Actor;
  readonly source: AppointmentSource;
  readonly log: OperationLog;
  /** The instant notice, horizon and "in the past" are measured from (tests pass a fixed clock). */
  now(): number;
}

export interface Acting {
  companyId: string;
  correlationId: string;
  actor: Actor;
  source: AppointmentSource;
  log?: OperationLog;
  now?: () => number;
}

export const contextFor = (deps: DomainDeps, acting: Acting): OperationContext => {
  const pool = poolOf(deps.db);
  return {
    companyId: acting.companyId,
    db: forCompany(deps.db, acting.companyId),
    sql: {
      companyId: acting.companyId,
      query: pool.query.bind(pool) as Queryable["query"],
      transaction: (fn) => inTransaction(pool, fn),
    },
    cache: deps.cache,
    caches: deps.caches,
    correlationId: acting.correlationId,
    actor: acting.actor,
    source: acting.source,
    log: acting.log ?? silentLog,
    now: acting.now ?? Date.now,
  };
};
