import { type DomainError, toZonedIso } from "@askproai/shared";
import { describe, expect, it } from "vitest";
import { createAppointment } from "./booking/create.js";
import { createDomainDeps } from "./context.js";
import { PROCESS_CACHE_TTL_MS, ProcessCaches } from "./process-caches.js";
import { at, bookingRequest, createFixtureCompany, localDate, testContext } from "./testing/index.js";
import { useTestbed } from "./testing/testbed.js";

const { bed } = useTestbed();

describe("per-process copies of branch zones", () => {
  it("see a zone changed by another process after their lifetime, and at once after an invalidation", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    let now = Date.now();
    const deps = { ...createDomainDeps(bed.scratch.db, null), caches: new ProcessCaches() };
    const ctx = () => ({ ...testContext(deps, f), now: () => now });
    const date = localDate(50);
    const berlin = await createAppointment(ctx(), bookingRequest(f, { start: at(date, "10:00") }));
    expect(berlin.start).toBe(toZonedIso(Date.parse(at(date, "10:00")), "Europe/Berlin"));

    // Another process moves the branch to London: this one keeps its copy for a while …
    await bed.scratch.db.branch.update({ where: { id: f.branchId }, data: { timezone: "Europe/London" } });
    // … then reads the branch again: answers carry the new zone's offset.
    now += PROCESS_CACHE_TTL_MS + 1;
    const london = await createAppointment(ctx(), bookingRequest(f, { start: at(date, "15:00") }));
    expect(london.start).toBe(toZonedIso(Date.parse(at(date, "15:00")), "Europe/London"));
    expect(london.start).not.toBe(toZonedIso(Date.parse(at(date, "15:00")), "Europe/Berlin"));

    // A deactivated branch is NOT_FOUND once this process invalidates its copy (company set-up does).
    await bed.scratch.db.branch.update({ where: { id: f.branchId }, data: { isActive: false } });
    deps.caches.invalidateBranch(f.companyId, f.branchId);
    const gone = (await createAppointment(ctx(), bookingRequest(f, { start: at(date, "16:00") })).catch((e: unknown) => e)) as DomainError;
    expect(gone.code).toBe("NOT_FOUND");
  });
});
