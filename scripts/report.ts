/**
 * `npm run report -- booking-success|api-performance [--company <slug>]`: the monitoring reports
 * (the same as `reports.bookingSuccess` / `reports.apiPerformance`) as tables, for every company or one.
 */
import { closeDb, contextFor, createDb, createDomainDeps } from "@askproai/db";
import { apiPerformanceReport, bookingSuccessReport } from "@askproai/db/ops";
import { loadConfigOrExit } from "./config.js";

const REPORTS = ["booking-success", "api-performance"] as const;
const usage = `usage: npm run report -- ${REPORTS.join("|")} [--company <slug>]`;

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--company");
const slug = args.includes("--company") ? args[args.indexOf("--company") + 1] : undefined;
if (!which || !(REPORTS as readonly string[]).includes(which) || (args.includes("--company") && !slug)) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfigOrExit();

const table = (rows: Record<string, string | number | null>[]) => {
  if (rows.length === 0) return console.log("  (no rows)");
  const header = Object.keys(rows[0]!);
  const cells = rows.map((r) => header.map((h) => (r[h] === null ? "–" : String(r[h]))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => "  " + c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log("  " + widths.map((w) => "─".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
};

const db = createDb({ url: config.DATABASE_URL, poolSize: 2 });
try {
  const companies = await db.company.findMany({ where: slug ? { slug } : {}, orderBy: { slug: "asc" }, select: { id: true, slug: true, name: true } });
  if (companies.length === 0) {
    console.error(slug ? `✗ no company with the slug ${slug}` : "✗ no companies in this database");
    process.exitCode = 1;
  }
  const deps = createDomainDeps(db, null);
  for (const company of companies) {
    const ctx = contextFor(deps, { companyId: company.id, correlationId: `report-${Date.now()}`, actor: { type: "system" }, source: "api" });
    console.log(`\n${company.name} (${company.slug})`);
    if (which === "booking-success") {
      const days = await bookingSuccessReport(ctx);
      table(days.map((d) => ({ day: d.day, attempts: d.attempts, confirmed: d.confirmed, failed: d.failed, rate: d.rate === null ? null : `${(d.rate * 100).toFixed(1)}%` })));
    } else {
      table((await apiPerformanceReport(ctx)).map((r) => ({ service: r.service, calls: r.calls, "avg ms": r.avgMs, "max ms": r.maxMs, errors: r.errors })));
    }
  }
} catch (error) {
  const text = String((error as { message?: unknown }).message ?? error) + JSON.stringify(error);
  if (/DatabaseDoesNotExist|does not exist/i.test(text)) console.error(`✗ the database of DATABASE_URL does not exist; start the app once (npm start) or run npm run db:migrate`);
  else if (/ECONNREFUSED|DatabaseNotReachable/i.test(text)) console.error("✗ PostgreSQL does not answer at DATABASE_URL");
  else console.error(error);
  process.exitCode = 1;
} finally {
  await closeDb(db);
}
