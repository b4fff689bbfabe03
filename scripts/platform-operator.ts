/**
 * `npm run platform:operator -- --email <email> --name <name>`: creates a platform operator (AskProAI's
 * own staff: `platform.login`, `platform.companies.*`) and prints the generated password once.
 */
import { parseArgs } from "node:util";
import { closeDb, createDb } from "@askproai/db";
import { createPlatformOperator } from "@askproai/db/platform";
import { DomainError, emailSchema, nameText } from "@askproai/shared";
import { databaseProblem, loadConfigOrExit } from "./cli.js";

const usage = "usage: npm run platform:operator -- --email <email> --name <name>";
let email: string;
let name: string;
try {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } }, strict: true });
  email = emailSchema.parse(values.email);
  name = nameText().parse(values.name);
} catch {
  console.error(usage);
  process.exit(2);
}

const config = loadConfigOrExit();
const db = createDb({ url: config.DATABASE_URL, poolSize: 2 });
try {
  const { operator, password } = await createPlatformOperator(db, { email, name });
  console.log(`✓ platform operator ${operator.name} <${operator.email}> created`);
  console.log(`  password (shown once): ${password}`);
  console.log("  log in with platform.login { email, password }");
} catch (error) {
  process.exitCode = 1;
  console.error(`✗ ${error instanceof DomainError ? error.message : (databaseProblem(error) ?? String(error))}`);
} finally {
  await closeDb(db);
}
