/**
 * `npm run company:create -- --slug <slug> --name <name> --owner-email <email> [--owner-name <name>]
 *   [--business-model simple|multi_branch_hotline|complex_service_matrix] [--timezone <IANA>] [--country <ISO>]`
 *
 * Creates an empty company and invites its owner: prints the owner's one-time link (valid 7 days). The
 * owner sets a password there, then adds a branch, a service, a staff member who does it and their hours
 * through the API (setup.*); from then on the company takes bookings. The same operation as
 * `platform.companies.create`, audited as the command line in the company's log.
 */
import { parseArgs } from "node:util";
import { closeDb, createDb } from "@askproai/db";
import { createCompany } from "@askproai/db/platform";
import { READINESS_STEPS } from "@askproai/db/setup";
import { DomainError, createCompanyInput, describeIssues } from "@askproai/shared";
import { publicBaseUrlOf } from "@askproai/shared/server";
import { databaseProblem, loadConfigOrExit } from "./cli.js";

const usage = `usage: npm run company:create -- --slug <slug> --name <name> --owner-email <email>
       [--owner-name <name>] [--business-model simple|multi_branch_hotline|complex_service_matrix]
       [--timezone Europe/Berlin] [--country DE]`;

const fail = (message: string, code = 1): never => {
  console.error(`✗ ${message}`);
  process.exit(code);
};

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      slug: { type: "string" },
      name: { type: "string" },
      "owner-email": { type: "string" },
      "owner-name": { type: "string" },
      "business-model": { type: "string" },
      timezone: { type: "string" },
      country: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  console.error(usage);
  fail((error as Error).message, 2);
}

const parsed = createCompanyInput.safeParse({
  slug: values!.slug,
  name: values!.name,
  ownerEmail: values!["owner-email"],
  ownerName: values!["owner-name"],
  businessModel: values!["business-model"],
  timezone: values!.timezone,
  country: values!.country,
});
if (!parsed.success) {
  console.error(usage);
  // Field names as the command spells them.
  const flags: Record<string, string> = { ownerEmail: "--owner-email", ownerName: "--owner-name", businessModel: "--business-model" };
  fail(describeIssues(parsed.error.issues.map((i) => ({ ...i, path: [flags[String(i.path[0])] ?? `--${String(i.path[0])}`] }))), 2);
}
const input = parsed.data!;

const config = loadConfigOrExit();
const publicBaseUrl = publicBaseUrlOf(config);
console.log(`→ connecting to PostgreSQL (${new URL(config.DATABASE_URL).host}${new URL(config.DATABASE_URL).pathname})`);
const db = createDb({ url: config.DATABASE_URL, poolSize: 2 });
try {
  await db.$queryRaw`SELECT 1`;
  console.log(`→ creating ${input.name} (${input.slug}, ${input.businessModel}, ${input.timezone}, ${input.country}) with its owner ${input.ownerEmail}`);
  const created = await createCompany(db, { actor: { type: "system", id: null, name: "command line (company:create)" }, correlationId: `cli-${Date.now()}` }, input, { publicBaseUrl });
  console.log(`✓ company created: ${created.company.id}`);
  console.log(`✓ owner invited: ${created.owner.name} <${created.owner.email}>`);
  console.log("");
  console.log(`  Invitation link for the owner (once, valid until ${created.inviteExpiresAt}):`);
  console.log(`  ${created.inviteUrl}`);
  console.log("");
  console.log("  It takes bookings once the owner has set up, through the API (setup.*, see README):");
  for (const gap of created.company.missing) console.log(`  - ${READINESS_STEPS[gap]}`);
} catch (error) {
  process.exitCode = 1;
  if (error instanceof DomainError) console.error(`✗ ${error.message}`);
  else console.error(`✗ ${databaseProblem(error) ?? String(error)}`);
} finally {
  await closeDb(db);
}
