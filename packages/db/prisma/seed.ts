/**
 * `prisma db seed` / `npm run seed -w @askproai/db` (tsx prisma/seed.ts): inserts the demo companies
 * from contract.md that are missing. Safe to run repeatedly; refuses to run with NODE_ENV=production.
 */
import "dotenv/config";
import { createDb } from "../src/client.js";
import { readDbEnv } from "../src/env.js";
import { DEMO_PASSWORD, seedDemoData } from "../src/seed/demo.js";

const main = async () => {
  const nodeEnv = process.env.NODE_ENV;
  const { DATABASE_URL } = readDbEnv(process.env);
  // Prisma connects lazily: with NODE_ENV=production seedDemoData throws before any query.
  const db = createDb({ url: DATABASE_URL, poolSize: 2 });
  const url = new URL(DATABASE_URL);
  console.log(`Seeding demo data into ${url.host}${url.pathname} (NODE_ENV=${nodeEnv ?? "unset"})`);
  try {
    const { created, skipped } = await seedDemoData(db, { nodeEnv, log: (line) => console.log(`  ${line}`) });
    console.log(`Done: ${created.length} created${created.length ? ` (${created.join(", ")})` : ""}, ${skipped.length} already present${skipped.length ? ` (${skipped.join(", ")})` : ""}.`);
    if (created.length) console.log(`Logins: desk@<slug>.example / owner@<slug>.example, password "${DEMO_PASSWORD}".`);
  } finally {
    await db.$disconnect();
  }
};

main().catch((error: unknown) => {
  console.error(`Demo seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
