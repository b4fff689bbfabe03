import { z } from "zod";

/** Database configuration, read once. Nothing else in this package reads process.env. */
const schema = z.object({
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/askproai"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
});

export type DbEnv = z.infer<typeof schema>;
export const readDbEnv = (source: NodeJS.ProcessEnv = process.env): DbEnv => schema.parse(source);
