/**
 * The core of @askproai/db: the client, the tenant-scoped client, the operation context and coded
 * database failures. Each area of the domain is its own subpath (`@askproai/db/booking`,
 * `/availability`, `/auth`, …; see package.json "exports"), so a reader finds an operation by its area.
 */
export { closeDb, createDb, poolOf, Prisma, type CreateDbOptions, type Db } from "./client.js";
export type * from "./generated/prisma/client.js";
export { contextFor, createDomainDeps, holdHolderOf, retellCallOf, type Acting, type Actor, type CompanySql, type DomainDeps, type OperationContext, type OperationLog } from "./context.js";
export { classifyDbError, type DbFailure } from "./errors.js";
export { ProcessCaches } from "./process-caches.js";
export { inTransaction, params, type Queryable } from "./sql.js";
export { forCompany, GLOBAL_MODELS, TENANT_MODELS, type TenantDb } from "./tenant.js";
