import { type DomainError } from "@askproai/shared";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../seed/demo.js";
import { createScratchDatabase, type ScratchDatabase } from "../testing/index.js";
import { createAppointment } from "../booking/create.js";
import { contextFor, createDomainDeps } from "../context.js";
import { routeCall } from "./routing.js";

const HOTLINE = "+493023125200";
let scratch: ScratchDatabase;
let companyId: string;
let branch: Record<"berlin" | "hamburg" | "muenchen", { id: string; phone: string; staffIds: string[] }>;
let serviceId: string;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  const company = await scratch.db.company.findUniqueOrThrow({ where: { slug: "hotline-clinic" } });
  companyId = company.id;
  const branches = await scratch.db.branch.findMany({ where: { companyId }, include: { staffBranches: true } });
  const pick = (city: string) => {
    const b = branches.find((x) => x.city === city)!;
    return { id: b.id, phone: b.phoneNumber!, staffIds: b.staffBranches.map((s) => s.staffId) };
  };
  branch = { berlin: pick("Berlin"), hamburg: pick("Hamburg"), muenchen: pick("München") };
  serviceId = (await scratch.db.service.findFirstOrThrow({ where: { companyId, durationMinutes: 45 } })).id;
});
afterAll(async () => scratch?.drop());

/** A Wednesday at least a week ahead, 10:00 in Berlin (all clinic branches are open Mon–Fri 08–17). */
const wanted = () => {
  let d = DateTime.now().setZone("Europe/Berlin").plus({ days: 7 });
  while (d.weekday !== 3) d = d.plus({ days: 1 });
  return d.set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
};

describe("hotline routing (hotline-clinic)", () => {
  it("a branch's own number answers for that branch", async () => {
    expect(await routeCall(scratch.db, { toNumber: branch.hamburg.phone })).toMatchObject({ companyId, branchId: branch.hamburg.id });
  });

  it("an explicit choice wins", async () => {
    const decision = await routeCall(scratch.db, { toNumber: HOTLINE, callerPhone: "+4940123456", explicitBranchId: branch.muenchen.id });
    expect(decision).toMatchObject({ companyId, branchId: branch.muenchen.id, reason: "explicit" });
  });

  it("routes a Hamburg caller to Hamburg, and to the next nearest branch (Berlin) once Hamburg is full at the wanted time", async () => {
    const start = wanted();
    const req = { toNumber: HOTLINE, callerPhone: "+4940987654", serviceId, wantedStart: start.toMillis() };
    expect(await routeCall(scratch.db, req)).toMatchObject({ branchId: branch.hamburg.id, reason: "nearest_available" });

    for (const staffId of branch.hamburg.staffIds) {
      await createAppointment(
        contextFor(createDomainDeps(scratch.db, null), { companyId, correlationId: "routing-test", actor: { type: "system" }, source: "api" }),
        {
          branchId: branch.hamburg.id, serviceId, staffId, start: start.toISO()!,
          customer: { phone: `+4940555${staffId.slice(0, 4).replace(/\D/g, "1").padEnd(4, "1")}`, name: "Patient" },
          idempotencyKey: `routing-${staffId}`,
        },
      );
    }
    expect(await routeCall(scratch.db, req)).toMatchObject({ branchId: branch.berlin.id, reason: "nearest_available" });
    // a Munich caller is unaffected
    expect(await routeCall(scratch.db, { ...req, callerPhone: "+4989111222" })).toMatchObject({ branchId: branch.muenchen.id });
  });

  it("without any location it takes the first branch (route priority) with availability", async () => {
    const decision = await routeCall(scratch.db, { toNumber: HOTLINE, callerPhone: "+33123456789", serviceId });
    expect(decision).toMatchObject({ branchId: branch.berlin.id, reason: "first_available" });
  });

  it("says so when no branch can serve the wanted time", async () => {
    const sunday = wanted().plus({ days: 4 }); // clinics are closed on Sundays
    const decision = await routeCall(scratch.db, { toNumber: HOTLINE, callerPhone: "+4940987654", serviceId, wantedStart: sunday.toMillis() });
    expect(decision).toMatchObject({ branchId: null, reason: "no_branch_available" });
  });

  it("an unknown number is NOT_FOUND", async () => {
    const error = await routeCall(scratch.db, { toNumber: "+4900000000" }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("NOT_FOUND");
  });
});
