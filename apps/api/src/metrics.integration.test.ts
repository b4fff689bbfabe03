import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;
const TOKEN = "metrics-token-for-tests-0123456789";
beforeAll(async () => {
  api = await startTestApi({ METRICS_TOKEN: TOKEN });
  client = http(api.baseUrl);
});
afterAll(async () => api?.close());

/** Parses Prometheus text exposition strictly enough to fail on a malformed line; sums samples by name+labels. */
const parseMetrics = (text: string) => {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ""}`, Number(match[3]));
  }
  return samples;
};

const scrape = async (token?: string) => {
  const res = await fetch(`${api.baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
};

/** The sum of a series' samples whose labels include all of `labels`. */
const value = (samples: Map<string, number>, name: string, labels: Record<string, string> = {}) =>
  [...samples]
    .filter(([k]) => k === name || k.startsWith(`${name}{`))
    .filter(([k]) => Object.entries(labels).every(([l, v]) => k.includes(`${l}="${v}"`)))
    .reduce((sum, [, v]) => sum + v, 0);

describe("GET /metrics", () => {
  it("is Prometheus text that moves with bookings and requests, with bounded labels, behind its token", async () => {
    expect((await scrape()).status).toBe(403);
    expect((await scrape("wrong-token-wrong-token-wrong")).status).toBe(403);
    const before = parseMetrics((await scrape(TOKEN)).text);

    const desk = await client.login("desk@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, desk.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, desk.token)).data[0].id as string;
    const input = { branchId, serviceId, start: at(nextDate(6), "10:00"), customer: { phone: "+4915112345670", name: "Metrik Kunde" }, idempotencyKey: "metrics-key-1" };
    expect((await client.mutation("appointments.create", input, desk.token)).status).toBe(200);
    const clash = await client.mutation("appointments.create", { ...input, idempotencyKey: "metrics-key-2", staffId: (await client.query("appointments.list", { branchId, from: at(nextDate(6), "00:00"), to: at(nextDate(6), "23:59") }, desk.token)).data[0].staffId }, desk.token);
    expect(clash.status).toBe(409);
    await fetch(`${api.baseUrl}/trpc/appointments.noSuchProcedure?input=${encodeURIComponent(JSON.stringify({ id: "00000000-0000-4000-8000-000000000000" }))}`);

    const scraped = await scrape(TOKEN);
    expect(scraped.status).toBe(200);
    const after = parseMetrics(scraped.text);
    const created = { outcome: "created", source: "api" };
    expect(value(after, "askproai_bookings_total", created) - value(before, "askproai_bookings_total", created)).toBe(1);
    expect(value(after, "askproai_bookings_total", { outcome: "conflict" }) - value(before, "askproai_bookings_total", { outcome: "conflict" })).toBe(1);
    expect(value(after, "askproai_http_request_duration_seconds_count", { route: "trpc:appointments.create" })).toBe(2);
    expect(value(after, "askproai_http_request_duration_seconds_count", { route: "trpc:unknown", status: "4xx" })).toBe(1);
    expect(value(after, "askproai_outbox_pending")).toBeGreaterThanOrEqual(1);
    expect(value(after, "askproai_process_cpu_seconds_total")).toBeGreaterThan(0);
    // no ids or raw paths in any label
    for (const key of after.keys()) expect(key).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\?input=/);
  });
});
