import { recordJobEnd, recordJobStart } from "@askproai/db/ops";
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

describe("debug.*", () => {
  it("lists failed bookings masked, and explains a booking whose sync failed as a timeline in time order", async () => {
    const owner = await client.login("owner@simple-salon.example");
    const desk = await client.login("desk@simple-salon.example");
    const spaOwner = await client.login("owner@matrix-spa.example");
    const branchId = (await client.query("directory.branches", undefined, owner.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, owner.token)).data[0].id as string;
    const booked = await client.mutation(
      "appointments.create",
      { branchId, serviceId, start: at(nextDate(3), "10:00"), customer: { phone: "+4915199001122", name: "Debora Fehler" }, idempotencyKey: "debug-key-1" },
      desk.token,
      { "x-correlation-id": "corr-debug-1" },
    );
    expect(booked.status).toBe(200);
    const id = booked.data.id as string;
    const companyId = desk.user.companyId;

    // What the calendar worker leaves behind when Cal.com refuses: two job attempts, two outside calls.
    for (const [attempt, status] of [[1, 503], [2, 400]] as const) {
      const run = await recordJobStart(api.scratch.db, { queue: "calendar", jobName: "calendar.sync", jobId: `outbox-x`, attempt, correlationId: "corr-debug-1", companyId });
      await api.scratch.db.apiCallLog.create({
        data: { companyId, correlationId: "corr-debug-1", service: "calcom", method: "POST", endpoint: "/v2/bookings", statusCode: status, durationMs: 40 + attempt, createdAt: new Date(Date.now() + attempt * 10) },
      });
      await recordJobEnd(api.scratch.db, run, attempt === 1 ? "failed" : "gave_up", `Cal.com answered ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await api.scratch.db.appointment.update({ where: { id }, data: { calendarSyncStatus: "failed", calendarSyncError: "Cal.com answered 400: eventTypeId unknown" } });

    expect((await client.query("debug.failedBookings", undefined, desk.token)).error?.data.code).toBe("FORBIDDEN");
    const failed = await client.query("debug.failedBookings", undefined, owner.token);
    expect(failed.data).toEqual([
      expect.objectContaining({ appointmentId: id, kind: "sync_failed", reason: "Cal.com answered 400: eventTypeId unknown", customer: { name: "D. F.", phone: "••••••••••••22" } }),
    ]);
    expect(JSON.stringify(failed.data)).not.toMatch(/Debora|99001122/);

    for (const input of [{ appointmentId: id }, { correlationId: "corr-debug-1" }]) {
      const res = await client.query("debug.timeline", input, owner.token);
      expect(res.status).toBe(200);
      const entries = res.data as { kind: string; title: string; status: string | null; at: string }[];
      // the booking's outbox events (a message; a calendar sync where the company syncs) sit between its audit row and the jobs
      const outbox = entries.map((e, i) => [e.kind, i] as const).filter(([k]) => k === "outbox").map(([, i]) => i);
      expect(outbox.length).toBeGreaterThanOrEqual(1);
      expect(Math.min(...outbox)).toBeGreaterThan(0);
      expect(Math.max(...outbox)).toBeLessThan(entries.findIndex((e) => e.kind === "job"));
      const rest = entries.filter((e) => e.kind !== "outbox");
      expect(rest.map((e) => e.kind)).toEqual(["audit", "job", "outside_call", "job", "outside_call"]);
      expect(rest.map((e) => e.status)).toEqual([null, "failed", "503", "gave_up", "400"]);
      expect(entries[0]!.title).toBe("appointment created");
      expect(entries.every((e) => /[+-]\d\d:\d\d$/.test(e.at))).toBe(true);
      expect(JSON.stringify(entries)).not.toMatch(/Debora|99001122/);
    }
    // Another company's owner sees none of it.
    expect((await client.query("debug.timeline", { appointmentId: id }, spaOwner.token)).error?.data.code).toBe("NOT_FOUND");
    expect((await client.query("debug.timeline", { correlationId: "corr-debug-1" }, spaOwner.token)).error?.data.code).toBe("NOT_FOUND");
    expect((await client.query("debug.timeline", {}, owner.token)).status).toBe(400);
  });
});
