import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;
beforeAll(async () => {
  api = await startTestApi();
  client = http(api.baseUrl);
});
afterAll(async () => api?.close());

describe("reports.*", () => {
  it("give owners the booking success of the last 30 days and outside-service performance; front desks are refused", async () => {
    const desk = await client.login("desk@simple-salon.example");
    const owner = await client.login("owner@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, desk.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, desk.token)).data[0].id as string;
    await client.mutation("appointments.create", { branchId, serviceId, start: at(nextDate(4), "10:00"), customer: { phone: "+4915199887766", name: "Report" }, idempotencyKey: "report-key-1" }, desk.token);

    expect((await client.query("reports.bookingSuccess", undefined, desk.token)).error?.data.code).toBe("FORBIDDEN");
    const success = await client.query("reports.bookingSuccess", undefined, owner.token);
    expect(success.data).toHaveLength(30);
    expect(success.data.at(-1)).toMatchObject({ attempts: 1, confirmed: 1, failed: 0, rate: 1 });
    const perf = await client.query("reports.apiPerformance", { sinceMinutes: 60 }, owner.token);
    expect(perf.status).toBe(200);
    expect(Array.isArray(perf.data)).toBe(true);
    expect((await client.query("reports.apiPerformance", { sinceMinutes: 0 }, owner.token)).status).toBe(400);
  });
});
