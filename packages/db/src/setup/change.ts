/**
 * The one way a set-up change is written: the change, its audit row(s) and the availability versions
 * of the branches it affects commit in ONE transaction (so no cached answer older than the change can
 * look current), and this process's copies of changed rows are dropped after the commit (other
 * processes see the change within their copies' lifetime, 30 s; ../process-caches.ts).
 */
import { DomainError } from "@askproai/shared";
import { bumpAvailability, bumpAvailabilityInPrisma } from "../availability/versions.js";
import type { OperationContext } from "../context.js";
import { classifyDbError } from "../errors.js";
import type { Queryable } from "../sql.js";
import type { TenantDb } from "../tenant.js";
import { auditActorOf, writeAudit, writeAuditInPrisma, type AuditEntry } from "./audit.js";

export type SetupContext = Pick<OperationContext, "db" | "sql" | "companyId" | "correlationId" | "actor" | "caches" | "now">;

/** The tenant-scoped client inside an interactive transaction. */
export type SetupTx = Parameters<Parameters<TenantDb["$transaction"]>[0]>[0];

export interface SetupChange<T> {
  result: T;
  audit: AuditEntry | AuditEntry[];
  /** Branches whose availability the change affects: their versions rise in the same transaction. */
  branches?: Iterable<string>;
  /** After the commit: drop this process's copies of what changed. */
  after?: () => void;
}

export interface ChangeOptions {
  /** A unique violation means this (e.g. a phone number in use): CONFLICT naming the field. */
  unique?: { field: string; message: string };
}

const mapFailure = (error: unknown, options: ChangeOptions): unknown => {
  if (error instanceof DomainError) return error;
  const failure = classifyDbError(error);
  if (failure.kind === "unique" && options.unique) {
    return new DomainError("CONFLICT", `${options.unique.field}: ${options.unique.message}`, { fields: [options.unique.field] }, { cause: error });
  }
  if (failure.kind === "retryable") return new DomainError("CONFLICT", "a concurrent change got in the way; try again", {}, { cause: error });
  return error;
};

/** A change through the tenant-scoped Prisma client. */
export const applyChange = async <T>(ctx: SetupContext, fn: (tx: SetupTx) => Promise<SetupChange<T>>, options: ChangeOptions = {}): Promise<T> => {
  let change: SetupChange<T>;
  try {
    change = await ctx.db.$transaction(async (tx) => {
      const made = await fn(tx);
      for (const entry of [made.audit].flat()) await writeAuditInPrisma(tx, ctx, entry);
      const branches = [...new Set(made.branches ?? [])];
      if (branches.length > 0) await bumpAvailabilityInPrisma(tx, ctx.companyId, branches);
      return made;
    });
  } catch (error) {
    throw mapFailure(error, options);
  }
  change.after?.();
  return change.result;
};

/** A change in plain SQL (one that also cancels appointments with the booking area's statements). */
export const applyChangeInSql = async <T>(ctx: SetupContext, fn: (tx: Queryable) => Promise<SetupChange<T>>, options: ChangeOptions = {}): Promise<T> => {
  let change: SetupChange<T>;
  try {
    change = await ctx.sql.transaction(async (tx) => {
      const made = await fn(tx);
      for (const entry of [made.audit].flat()) await writeAudit(tx, ctx.companyId, ctx.correlationId, auditActorOf(ctx.actor), entry);
      await bumpAvailability(tx, ctx.companyId, made.branches ?? []);
      return made;
    });
  } catch (error) {
    throw mapFailure(error, options);
  }
  change.after?.();
  return change.result;
};

/** Every branch of the company (a service or the booking policy counts everywhere). */
export const allBranchIds = async (tx: Pick<SetupTx, "branch">) => (await tx.branch.findMany({ select: { id: true } })).map((b) => b.id);

/** The branches a staff member works at. */
export const branchesOfStaff = async (tx: Pick<SetupTx, "staffBranch">, staffId: string) =>
  (await tx.staffBranch.findMany({ where: { staffId }, select: { branchId: true } })).map((b) => b.branchId);

/** NOT_FOUND unless every id is a branch of this company. */
export const requireBranches = async (tx: Pick<SetupTx, "branch">, ids: readonly string[], field = "branchId") => {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const found = await tx.branch.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new DomainError("NOT_FOUND", `${field}: branch not found`, { fields: [field] });
};
