import "dotenv/config";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "prisma-adapter-pg-cli";

// Prisma 6.19 prints on every migrate that the schema's datasource `url` is unused under a driver
// adapter. The `url` must stay: without it the CLI cannot read the schema's engine type and tries to
// download a query engine (see ../../../shared/notes/prisma-offline.md). So the warning can only be
// noise here, and exactly it is dropped; everything else the CLI prints passes through.
const UNUSED_URL_WARNING = "datasource properties but you are using a Driver Adapter";
const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
  typeof chunk === "string" && chunk.includes(UNUSED_URL_WARNING) ? true : write(chunk, ...rest)) as typeof process.stdout.write;

const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/askproai";
// `prisma generate` only needs a syntactically valid URL; migrate commands use the real one.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

/**
 * Prisma 6.19's JS schema engine with two fixes (see ../../../shared/notes/prisma-offline.md):
 * each migration runs as ONE script in one implicit transaction (the stock adapter splits on ";",
 * which breaks plpgsql bodies and leaves half-applied migrations), and there is no shadow database
 * (the stock one silently points at DATABASE_URL itself).
 */
class MigrationAdapter extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string) => {
      await adapter.underlyingDriver().query(script);
    };
    return adapter;
  }

  override async connectToShadowDb(): Promise<never> {
    throw new Error("No shadow database here: create migrations with `npm run db:new-migration -- <name>`.");
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new MigrationAdapter({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true }),
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
});
