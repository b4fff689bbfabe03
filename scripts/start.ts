/**
 * `npm start`: prepares the database (create if missing, migrate, seed demo data when empty), then runs
 * the API and the worker until Ctrl-C / SIGTERM, which stops both cleanly. Outside production, outside
 * services that are not configured are served by local stand-ins (@askproai/stand-ins), named at start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { closeDb, createDb } from "@askproai/db";
import { DEMO_CALCOM, DEMO_COMPANY_SLUGS, DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, seedDemoData } from "@askproai/db/seed";
import { startStandIns, type StandIns } from "@askproai/stand-ins";
import { DEMO_SECRETS } from "@askproai/shared/server";
import { loadConfigOrExit } from "./cli.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const step = (text: string) => console.log(`\x1b[36m▸\x1b[0m ${text}`);

const config = loadConfigOrExit();

const run = (cmd: string, args: string[], cwd: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: "inherit", env: { ...process.env, DATABASE_URL: config.DATABASE_URL } });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });

const ensureDatabase = async () => {
  const url = new URL(config.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(config.DATABASE_URL);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${url.host} does not answer (${(error as Error).message}); start it and try again`);
  }
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) {
      step(`database "${name}" exists`);
    } else {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      step(`created database "${name}"`);
    }
  } finally {
    await client.end();
  }
};

const main = async () => {
  step(`preparing ${config.NODE_ENV} environment`);
  await ensureDatabase();
  step("applying migrations (prisma migrate deploy)…");
  await run(join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], join(root, "packages/db"));

  const db = createDb({ url: config.DATABASE_URL, poolSize: 2 });
  try {
    const companies = await db.company.count();
    if (companies > 0) step(`database has ${companies} compan${companies === 1 ? "y" : "ies"}; not seeding`);
    else if (config.NODE_ENV === "production") step("empty database in production: demo data is never seeded there");
    else {
      step("empty database: seeding demo companies…");
      await seedDemoData(db, { nodeEnv: config.NODE_ENV, secretsKey: config.SECRETS_KEY, log: (line) => step(`  ${line}`) });
    }
  } finally {
    await closeDb(db);
  }

  const base = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
  // Customer messages go to local stand-ins when no gateway is configured (never in production, where
  // the configuration requires them): the demo shows every SMS and e-mail on a machine without internet.
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  let standIns: StandIns | null = null;
  const calcomStandIn = config.NODE_ENV !== "production" && config.calcomApiUrlDefaulted;
  if (config.NODE_ENV !== "production" && (!config.SMS_API_URL || !config.SMTP_URL || calcomStandIn)) {
    standIns = await startStandIns({
      // The demo salon's calendar: its key, its event types' durations; bookings made in it (POST
      // <stand-in>/__standin/direct/bookings) reach the API's signed Cal.com webhook.
      calcom: calcomStandIn
        ? { apiKeys: [DEMO_CALCOM.apiKey], eventTypes: DEMO_CALCOM.durations, webhooks: [{ url: `${base}/webhooks/calcom`, secret: config.CALCOM_WEBHOOK_SECRET, apiKey: DEMO_CALCOM.apiKey }] }
        : false,
      // Simulated customer replies (POST <SMS stand-in>/__standin/inbound) reach the API's signed SMS webhook.
      sms: config.SMS_API_URL ? false : { inboundWebhookUrl: `${base}/webhooks/sms`, authToken: config.SMS_AUTH_TOKEN, accountSid: config.SMS_ACCOUNT_SID },
      smtp: !config.SMTP_URL,
    });
    Object.assign(childEnv, standIns.env);
    step("outside services not configured are served by local stand-ins:");
    for (const line of standIns.describe()) step(`  ${line}`);
  }

  const children: ChildProcess[] = [];
  const startApp = (name: string) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: join(root, "apps", name), stdio: "inherit", env: childEnv });
    children.push(child);
    child.on("exit", (code, signal) => {
      if (!stopping) {
        console.error(`✗ ${name} exited unexpectedly (${signal ?? code}); stopping`);
        void stop(1);
      }
    });
    return child;
  };
  startApp("api");
  startApp("worker");

  console.log(`
AskProAI is starting
  API (tRPC)     ${base}/trpc${config.API_PROCESSES > 1 ? `   (${config.API_PROCESSES} processes on one port)` : ""}
  health         ${base}/healthz   readiness ${base}/readyz
${
  config.NODE_ENV === "production"
    ? ""
    : `  demo logins    ${DEMO_COMPANY_SLUGS.flatMap((s) => [`desk@${s}.example`, `owner@${s}.example`]).join(", ")}
                 password: ${DEMO_PASSWORD}
  platform       ${DEMO_OPERATOR_EMAIL} (platform.login, same password)
`
}${
  config.usingDemoSecrets
    ? `  demo secrets   (set these variables for real ones)
${Object.entries(DEMO_SECRETS).map(([k, v]) => `                 ${k}=${v}`).join("\n")}
`
    : ""
}${
  standIns
    ? `  messages       customer SMS and e-mails land in the stand-ins:
${[standIns.sms ? `                 SMS     ${standIns.sms.url}/   (a customer's reply: POST ${standIns.sms.url}/__standin/inbound {"from","to","body"})` : "", standIns.smtp ? `                 e-mail  ${standIns.smtp.httpUrl}/` : ""].filter(Boolean).join("\n")}
`
    : ""
}  stop with Ctrl-C
`);

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    step("stopping API and worker…");
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    await standIns?.close();
    step("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
};

main().catch((error: unknown) => {
  console.error(`✗ start-up failed: ${(error as Error).message}`);
  process.exit(1);
});
