import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

export { Prisma, PrismaClient } from "./generated/prisma/client.js";
export type * from "./generated/prisma/client.js";

export interface CreateDbOptions {
  url: string;
  poolSize?: number;
}

/**
 * The unscoped client. Only system code (login lookup, webhook intake, the worker's sweeps, seeding)
 * uses it directly; everything acting for a company goes through `forCompany()` in ./tenant.ts.
 */
export const createDb = ({ url, poolSize = 20 }: CreateDbOptions) =>
  new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 }),
  });

export type Db = ReturnType<typeof createDb>;
