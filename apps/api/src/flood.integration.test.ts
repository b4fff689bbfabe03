/**
 * One company floods the API with maximum-size batches while another books: the flood is refused
 * from its own budgets (429 with Retry-After, never 500) and the other company's bookings all succeed
 * (each to a slot no other booking of the run overlaps, so success is the only right answer).
 * The p95 is printed, not asserted (a benchmark's job).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextDate } from "./testing/dates.js";
import { http, startTestApi, uniqueKey, uniquePhone, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;
beforeAll(async () => {
  // The production budgets, not the tests' unlimited ones.
  api = await startTestApi({ BUDGET_SESSION_PER_SECOND: "30", BUDGET_COMPANY_PER_SECOND: "120" });
  client = http(api.baseUrl);
});
afterAll(async () => api?.close());

describe("a flood from one tenant", () => {
  it("does not slow another tenant's bookings, and answers the flood with 429, never 5xx", { timeout: 60_000 }, async () => {
    const flooder = await client.login("desk@simple-salon.example");
    const spa = await client.login("desk@matrix-spa.example");
    const spaBranch = (await client.query("directory.branches", undefined, spa.token)).data[0].id as string;
    const services = (await client.query("directory.services", { branchId: spaBranch }, spa.token)).data as { id: string; name: string }[];
    const serviceId = services.find((s) => s.name === "Maniküre")?.id ?? services[0]!.id;

    const batch = `/trpc/${Array.from({ length: 20 }, () => "appointments.cancel").join(",")}?batch=1`;
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { id: "00000000-0000-4000-8000-000000000000" }])));
    const flood = { requests: 0, statuses: new Map<number, number>() };
    let flooding = true;
    const floodLoops = Array.from({ length: 4 }, async () => {
      while (flooding) {
        const res = await fetch(`${api.baseUrl}${batch}`, { method: "POST", headers: { authorization: `Bearer ${flooder.token}`, "content-type": "application/json" }, body });
        await res.arrayBuffer();
        flood.requests++;
        flood.statuses.set(res.status, (flood.statuses.get(res.status) ?? 0) + 1);
      }
    });

    const offered = (await client.query("availability.slots", { branchId: spaBranch, serviceId, from: nextDate(10), days: 14 }, spa.token)).data.slots as { start: string; end: string; staffId: string }[];
    // Slots that no other booking of this run can take away (none overlaps another of the same staff
    // member), spread over the two weeks: every booking of the quiet company must succeed.
    const slots: typeof offered = [];
    for (let k = 0; k < offered.length; k++) {
      const slot = offered[(k * 7) % offered.length]!;
      const clash = slots.some((o) => o.staffId === slot.staffId && Date.parse(o.start) < Date.parse(slot.end) && Date.parse(slot.start) < Date.parse(o.end));
      if (!clash && !slots.includes(slot)) slots.push(slot);
    }
    expect(slots.length).toBeGreaterThan(50);
    const latencies: number[] = [];
    const started = Date.now();
    let i = 0;
    while (Date.now() - started < 10_000 && i < slots.length) {
      const slot = slots[i]!;
      // The quiet company books at a desk's pace (at most 20 a second, inside its own session budget
      // of 30 a second): on a fast machine an unpaced loop would be a flood of its own.
      const t0 = performance.now();
      const paced = new Promise((resolve) => setTimeout(resolve, 50));
      const res = await client.mutation(
        "appointments.create",
        { branchId: spaBranch, serviceId, start: slot.start, staffId: slot.staffId, customer: { phone: uniquePhone(), name: "Ruhige Kundin" }, idempotencyKey: uniqueKey("flood") },
        spa.token,
      );
      latencies.push(performance.now() - t0);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await paced;
      i++;
    }
    const elapsed = (Date.now() - started) / 1000;
    flooding = false;
    await Promise.all(floodLoops);

    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    console.log(`flood for ${elapsed.toFixed(1)} s: ${flood.requests} batches of 20 from one company (${JSON.stringify(Object.fromEntries(flood.statuses))}); ` +
      `the other company's ${latencies.length} bookings: p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    expect([...flood.statuses.keys()].every((s) => s < 500)).toBe(true);
    expect(flood.statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect(latencies.length).toBeGreaterThan(10);
  });
});
