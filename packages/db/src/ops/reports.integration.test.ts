import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createAppointment } from "../booking/create.js";
import { at, bookingRequest, createFixtureCompany, localDate, TEST_ZONE } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { apiPerformanceReport, bookingSuccessReport } from "./reports.js";

const { bed, ctx } = useTestbed();

describe("monitoring reports", () => {
  it("booking success: attempts, confirmed and rate per local day of the last 30, only this company's", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const other = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    for (const hhmm of ["09:00", "10:00", "11:00"]) await createAppointment(ctx(f), bookingRequest(f, { start: at(localDate(3), hhmm) }));
    await createAppointment(ctx(other), bookingRequest(other, { start: at(localDate(3), "09:00") }));
    // One failed attempt today, and one confirmed booking made 2 days ago (created_at in the past).
    const a = await bed.scratch.db.appointment.findFirstOrThrow({ where: { companyId: f.companyId } });
    await bed.scratch.db.appointment.create({
      data: { companyId: f.companyId, branchId: f.branchId, staffId: f.staffIds[0]!, serviceId: f.serviceIds.short, customerId: a.customerId,
        startsAt: new Date(at(localDate(4), "09:00")), endsAt: new Date(at(localDate(4), "09:30")), status: "failed", source: "api", correlationId: "r1", failureReason: "x" },
    });
    const twoDaysAgo = DateTime.now().setZone(TEST_ZONE).minus({ days: 2 });
    await bed.scratch.db.appointment.updateMany({ where: { id: a.id }, data: { createdAt: twoDaysAgo.toJSDate() } });

    const report = await bookingSuccessReport(ctx(f));
    expect(report).toHaveLength(30);
    const today = report.at(-1)!;
    expect(today.day).toBe(DateTime.now().setZone(TEST_ZONE).toISODate());
    expect(today).toMatchObject({ attempts: 3, confirmed: 2, failed: 1, rate: 0.6667 });
    expect(report.find((d) => d.day === twoDaysAgo.toISODate())).toMatchObject({ attempts: 1, confirmed: 1, rate: 1 });
    expect(report[0]).toMatchObject({ attempts: 0, rate: null });
  });

  it("API performance: calls, average and maximum duration, errors per outside service in the last hour", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const log = (service: string, durationMs: number, statusCode: number | null, minutesAgo = 1) =>
      bed.scratch.db.apiCallLog.create({
        data: { companyId: f.companyId, correlationId: "c", service, method: "POST", endpoint: "/x", statusCode, durationMs, createdAt: new Date(Date.now() - minutesAgo * 60_000) },
      });
    await log("calcom", 100, 201);
    await log("calcom", 300, 503);
    await log("calcom", 900, 201, 61); // older than an hour
    await log("sms", 50, null);
    expect(await apiPerformanceReport(ctx(f))).toEqual([
      { service: "calcom", calls: 2, avgMs: 200, maxMs: 300, errors: 1 },
      { service: "sms", calls: 1, avgMs: 50, maxMs: 50, errors: 1 },
    ]);
  });
});
