import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/passwords.js";
import { createScratchDatabase, type ScratchDatabase } from "../testing/index.js";
import { DEMO_COMPANY_SLUGS, DEMO_PASSWORD, seedDemoData, type SeedDemoResult } from "./demo.js";

// The tests share one database and run in order: production refusal on the empty database, the first
// seed, the checks of what it wrote, the re-run, and finally a forced failure.
let scratch: ScratchDatabase;
let first: SeedDemoResult;
const logLines: string[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => scratch?.drop());

const counts = async () => {
  const db = scratch.db;
  const [companies, branches, staff, staffBranches, services, staffSkills, resources, rules, hotlineNumbers, hotlineRoutes, users] =
    await Promise.all([
      db.company.count(),
      db.branch.count(),
      db.staff.count(),
      db.staffBranch.count(),
      db.service.count(),
      db.staffSkill.count(),
      db.resource.count(),
      db.availabilityRule.count(),
      db.hotlineNumber.count(),
      db.hotlineRoute.count(),
      db.user.count(),
    ]);
  return { companies, branches, staff, staffBranches, services, staffSkills, resources, rules, hotlineNumbers, hotlineRoutes, users };
};

const company = (slug: string) => scratch.db.company.findUniqueOrThrow({ where: { slug } });

describe("seedDemoData", () => {
  it("refuses to run in production and writes nothing", async () => {
    await expect(seedDemoData(scratch.db, { nodeEnv: "production" })).rejects.toThrow(/production/);
    const c = await counts();
    expect(Object.values(c).every((n) => n === 0)).toBe(true);
  });

  it("creates exactly the three demo companies with their business models", async () => {
    first = await seedDemoData(scratch.db, { nodeEnv: "test", log: (line) => logLines.push(line) });
    expect(first.created).toEqual([...DEMO_COMPANY_SLUGS]);
    expect(first.skipped).toEqual([]);
    // one line per company, and one for the platform's demo operator
    expect(logLines).toHaveLength(4);
    expect(logLines.filter((line) => DEMO_COMPANY_SLUGS.some((slug) => line.startsWith(`${slug}: created`)))).toHaveLength(3);

    const companies = await scratch.db.company.findMany({ orderBy: { slug: "asc" } });
    expect(companies.map((c) => [c.slug, c.businessModel, c.timezone])).toEqual([
      ["hotline-clinic", "multi_branch_hotline", "Europe/Berlin"],
      ["matrix-spa", "complex_service_matrix", "Europe/Berlin"],
      ["simple-salon", "simple", "Europe/Berlin"],
    ]);
    // default policy columns
    for (const c of companies) expect([c.minNoticeMinutes, c.horizonDays, c.slotStepMinutes]).toEqual([120, 180, 15]);
  });

  it("gives simple-salon one branch, 3 staff, a 30- and a 90-minute service and Mon–Sat 09:00–18:00", async () => {
    const { id: companyId } = await company("simple-salon");
    const branches = await scratch.db.branch.findMany({ where: { companyId } });
    expect(branches).toHaveLength(1);
    expect(branches[0]!.timezone).toBe("Europe/Berlin");
    expect(branches[0]!.phoneNumber).toMatch(/^\+49\d{6,13}$/);

    const staff = await scratch.db.staff.findMany({ where: { companyId }, include: { branches: true, skills: true } });
    expect(staff).toHaveLength(3);

    const services = await scratch.db.service.findMany({ where: { companyId }, orderBy: { durationMinutes: "asc" } });
    expect(services.map((s) => [s.durationMinutes, s.bufferAfterMinutes, s.currency])).toEqual([
      [30, 0, "EUR"],
      [90, 15, "EUR"],
    ]);
    for (const s of staff) {
      expect(s.branches.map((b) => b.branchId)).toEqual([branches[0]!.id]);
      expect(s.skills.map((k) => k.serviceId).sort()).toEqual(services.map((x) => x.id).sort());
    }

    const rules = await scratch.db.availabilityRule.findMany({ where: { companyId } });
    expect(rules).toHaveLength(3 * 6);
    expect(new Set(rules.map((r) => r.weekday))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(rules.every((r) => r.startMinute === 540 && r.endMinute === 1080 && r.branchId === branches[0]!.id)).toBe(true);
  });

  it("gives hotline-clinic 3 branches with distinct numbers and one hotline routed to all of them", async () => {
    const { id: companyId } = await company("hotline-clinic");
    const branches = await scratch.db.branch.findMany({ where: { companyId } });
    expect(branches).toHaveLength(3);
    const numbers = branches.map((b) => b.phoneNumber);
    expect(numbers.every((n) => typeof n === "string" && /^\+49\d+$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(3);
    expect(new Set(branches.map((b) => b.city)).size).toBe(3);
    expect(branches.every((b) => b.areaCodes.length > 0 && b.latitude !== null && b.longitude !== null)).toBe(true);

    const hotlines = await scratch.db.hotlineNumber.findMany({ where: { companyId }, include: { routes: true } });
    expect(hotlines).toHaveLength(1);
    const routes = hotlines[0]!.routes;
    expect(routes.map((r) => r.branchId).sort()).toEqual(branches.map((b) => b.id).sort());
    expect(routes.map((r) => r.priority).sort()).toEqual([0, 1, 2]);
    expect(numbers).not.toContain(hotlines[0]!.phoneNumber);

    // two staff per branch, each working there Mon–Fri
    for (const b of branches) {
      const links = await scratch.db.staffBranch.findMany({ where: { branchId: b.id } });
      expect(links).toHaveLength(2);
      const rules = await scratch.db.availabilityRule.findMany({ where: { branchId: b.id } });
      expect(rules).toHaveLength(2 * 5);
      expect(rules.every((r) => r.weekday <= 5 && r.startMinute === 480 && r.endMinute === 1020)).toBe(true);
    }
  });

  it("gives matrix-spa treatment rooms, room-bound services and staff not qualified for some services", async () => {
    const { id: companyId } = await company("matrix-spa");
    const rooms = await scratch.db.resource.findMany({ where: { companyId, kind: "treatment_room" } });
    expect(rooms.map((r) => r.name).sort()).toEqual(["Raum Eukalyptus", "Raum Lavendel"]);

    const services = await scratch.db.service.findMany({ where: { companyId } });
    expect(services).toHaveLength(4);
    expect(services.filter((s) => s.requiredResourceKind === "treatment_room").length).toBeGreaterThanOrEqual(2);
    expect(services.some((s) => s.requiredResourceKind === null)).toBe(true);

    const skills = await scratch.db.staffSkill.findMany({ where: { companyId }, include: { service: true } });
    expect(new Set(skills.map((k) => k.level))).toEqual(new Set([1, 2, 3]));
    const unqualified = skills.filter((k) => k.service.requiredSkillLevel !== null && k.level < k.service.requiredSkillLevel);
    expect(unqualified.length).toBeGreaterThan(0);
    expect(await scratch.db.staff.count({ where: { companyId } })).toBe(4);
  });

  it("creates a front-desk and an owner login per company with the demo password", async () => {
    const users = await scratch.db.user.findMany({ include: { company: true } });
    expect(users).toHaveLength(6);
    for (const slug of DEMO_COMPANY_SLUGS) {
      const mine = users.filter((u) => u.company.slug === slug);
      expect(mine.map((u) => [u.email, u.role]).sort()).toEqual([
        [`desk@${slug}.example`, "front_desk"],
        [`owner@${slug}.example`, "owner"],
      ]);
    }
    const desk = users.find((u) => u.email === "desk@simple-salon.example")!;
    expect(desk.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(desk.passwordHash!, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(desk.passwordHash!, "wrong-password")).toBe(false);
  });

  it("is idempotent: a second run creates nothing and skips all three", async () => {
    const before = await counts();
    const second = await seedDemoData(scratch.db, { nodeEnv: "development" });
    expect(second.created).toEqual([]);
    expect(second.skipped).toEqual([...DEMO_COMPANY_SLUGS]);
    expect(await counts()).toEqual(before);
  });

  it("writes a company all-or-nothing: a failing company leaves no partial rows", async () => {
    const spa = await company("matrix-spa");
    const salon = await company("simple-salon");
    const spaBranch = await scratch.db.branch.findFirstOrThrow({ where: { companyId: spa.id } });
    await scratch.db.company.delete({ where: { id: spa.id } });
    // Occupy matrix-spa's branch number elsewhere: its branch insert now violates the unique constraint.
    await scratch.db.branch.create({ data: { companyId: salon.id, name: "Blocker", phoneNumber: spaBranch.phoneNumber } });
    const before = await counts();

    await expect(seedDemoData(scratch.db, {})).rejects.toThrow(/matrix-spa/);
    expect(await scratch.db.company.findUnique({ where: { slug: "matrix-spa" } })).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
