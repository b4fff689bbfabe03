import { DomainError } from "@askproai/shared";
import { Prisma } from "./generated/prisma/client.js";
import type { Db } from "./client.js";

/**
 * Models that are not owned by one company. Every other model must have a `companyId` column, and is
 * then filtered and stamped by the scoped client below. tenant.test.ts fails when a model is neither.
 */
export const GLOBAL_MODELS: Readonly<Record<string, string>> = {
  Company: "the tenant itself; the scoped client limits it to the own company by id",
  PlatformOperator: "AskProAI's own operators, outside every company (platform.*)",
  PlatformSession: "an operator's login session, outside every company",
};

const modelNames = Object.values(Prisma.ModelName) as string[];

const scalarFieldsOf = (model: string): string[] => {
  const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${model}ScalarFieldEnum`];
  return fields ? Object.values(fields) : [];
};

/** Models carrying company_id, derived from the generated client so a new model cannot be forgotten. */
export const TENANT_MODELS: ReadonlySet<string> = new Set(
  modelNames.filter((model) => scalarFieldsOf(model).includes("companyId")),
);

const READ_OR_FILTER_OPS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);

type Args = Record<string, unknown> & {
  where?: Record<string, unknown>;
  data?: unknown;
  create?: Record<string, unknown>;
};

const stamp = (data: unknown, companyId: string, model: string): unknown => {
  if (Array.isArray(data)) return data.map((row) => stamp(row, companyId, model));
  if (data === null || typeof data !== "object") return data;
  const row = data as Record<string, unknown>;
  if (row.companyId !== undefined && row.companyId !== companyId) {
    throw new DomainError("FORBIDDEN", `${model}: companyId belongs to another company`);
  }
  return { ...row, companyId };
};

const forbidCompanyChange = (data: unknown, companyId: string, model: string) => {
  if (data && typeof data === "object" && "companyId" in data && (data as { companyId: unknown }).companyId !== companyId) {
    throw new DomainError("FORBIDDEN", `${model}: a row cannot move to another company`);
  }
};

const scope = (db: Db, companyId: string) =>
  db.$extends({
    name: `tenant:${companyId}`,
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const a = { ...(args as Args) };
          if (model === "Company") {
            if (operation === "create" || operation === "createMany" || operation === "createManyAndReturn") {
              throw new DomainError("FORBIDDEN", "a company cannot create companies");
            }
            if (READ_OR_FILTER_OPS.has(operation)) a.where = { ...a.where, id: companyId };
            return query(a);
          }
          if (!TENANT_MODELS.has(model)) return query(a);
          if (READ_OR_FILTER_OPS.has(operation)) {
            // Spread first, then override: a caller-supplied companyId can never widen the scope.
            a.where = { ...a.where, companyId };
          }
          if (operation === "create" || operation === "createMany" || operation === "createManyAndReturn") {
            a.data = stamp(a.data, companyId, model);
          } else if (operation === "upsert") {
            a.create = stamp(a.create, companyId, model) as Record<string, unknown>;
            forbidCompanyChange((a as { update?: unknown }).update, companyId, model);
          } else if (operation.startsWith("update")) {
            forbidCompanyChange(a.data, companyId, model);
          }
          return query(a);
        },
      },
    },
  });

export type TenantDb = ReturnType<typeof scope>;

const cache = new WeakMap<Db, Map<string, TenantDb>>();
const MAX_CACHED_TENANTS = 1_000;

/**
 * A database handle bound to one company: every read and write of a company-owned model is filtered by
 * and stamped with `companyId`. Raw SQL ($queryRaw) is not rewritten; repositories that use it must
 * filter by company_id themselves.
 */
export const forCompany = (db: Db, companyId: string): TenantDb => {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let scoped = perDb.get(companyId);
  if (!scoped) {
    if (perDb.size >= MAX_CACHED_TENANTS) perDb.delete(perDb.keys().next().value as string);
    scoped = scope(db, companyId);
    perDb.set(companyId, scoped);
  }
  return scoped;
};
