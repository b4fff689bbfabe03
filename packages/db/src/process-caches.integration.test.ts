import { type DomainError, toZonedIso } from "@askproai/shared";
import { describe, expect, it } from "vitest";
import { createAppointment } from "./booking/create.js";
import { createDomainDeps } from "./context.js";
import { PROCESS_CACHE_TTL_MS, ProcessCaches } from "./process-caches.js";
import { updateBranch } from "./setup/branches.js";
import { at, bookingRequest, createFixtureCompany, localDate, testContext } from "./testing/index.js";
import { useTestbed } from "./testing/testbed.js";

const { bed } = useTestbed();

/** One process: its own copies, and a clock the test moves. */
const processWithClock = () => {
  const clock = { now: Date.now() };
  const deps = { ...createDomainDeps(bed.scratch.db, null), caches: new ProcessCaches() };
  return { clock, deps, ctx: (f: { companyId: string }) => ({ ...testContext(deps, f), now: () => clock.now }) };
};

describe("per-process copies of branch zones", () => {
  it("see a zone changed by another process after their lifetime", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { clock, ctx } = processWithClock();
    const date = localDate(50);
    const berlin = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "10:00") }));
    expect(berlin.start).toBe(toZonedIso(Date.parse(at(date, "10:00")), "Europe/Berlin"));

    // Another process moves the branch to London: this one keeps its copy for a while …
    await bed.scratch.db.branch.update({ where: { id: f.branchId }, data: { timezone: "Europe/London" } });
    // … then reads the branch again: answers carry the new zone's offset.
    clock.now += PROCESS_CACHE_TTL_MS + 1;
    const london = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "15:00") }));
    expect(london.start).toBe(toZonedIso(Date.parse(at(date, "15:00")), "Europe/London"));
    expect(london.start).not.toBe(toZonedIso(Date.parse(at(date, "15:00")), "Europe/Berlin"));

    // A deactivated branch is NOT_FOUND (the booking transaction re-reads the branch whatever the copy says).
    await bed.scratch.db.branch.update({ where: { id: f.branchId }, data: { isActive: false } });
    const gone = (await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "16:00") })).catch((e: unknown) => e)) as DomainError;
    expect(gone.code).toBe("NOT_FOUND");
  });

  it("see a zone changed through company set-up in the same process at once, without waiting", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { ctx } = processWithClock();
    const date = localDate(51);
    const berlin = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "10:00") }));
    expect(berlin.start).toBe(toZonedIso(Date.parse(at(date, "10:00")), "Europe/Berlin"));

    // The clock stands still: only the set-up operation's invalidation can make the new zone visible.
    await updateBranch(ctx(f), { id: f.branchId, timezone: "Europe/London" });
    const london = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "15:00") }));
    expect(london.start).toBe(toZonedIso(Date.parse(at(date, "15:00")), "Europe/London"));
  });
});
