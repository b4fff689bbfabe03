import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;
let salonToken: string;
let spaToken: string;

beforeAll(async () => {
  api = await startTestApi();
  client = http(api.baseUrl);
  salonToken = (await client.login("desk@simple-salon.example")).token;
  spaToken = (await client.login("desk@matrix-spa.example")).token;
});
afterAll(async () => api?.close());

describe("directory", () => {
  it("lists the own company's branches as the contract shows", async () => {
    const res = await client.query("directory.branches", undefined, salonToken);
    expect(res.status).toBe(200);
    expect(res.data).toHaveLength(1);
    expect(res.data[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), timezone: "Europe/Berlin" });
    const hotline = await client.login("desk@hotline-clinic.example");
    expect((await client.query("directory.branches", undefined, hotline.token)).data).toHaveLength(3);
  });

  it("lists services with durations and staff, optionally per branch", async () => {
    const [branch] = (await client.query("directory.branches", undefined, salonToken)).data;
    const services = (await client.query("directory.services", { branchId: branch.id }, salonToken)).data;
    expect(services.map((s: { durationMinutes: number }) => s.durationMinutes).sort()).toEqual([30, 90]);
    const staff = (await client.query("directory.staff", { branchId: branch.id }, salonToken)).data;
    expect(staff).toHaveLength(3);
    expect(staff[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    expect((await client.query("directory.staff", undefined, salonToken)).data).toHaveLength(3);
  });

  it("answers NOT_FOUND for another company's branch, service and staff ids", async () => {
    const [spaBranch] = (await client.query("directory.branches", undefined, spaToken)).data;
    const res = await client.query("directory.services", { branchId: spaBranch.id }, salonToken);
    expect(res.status).toBe(404);
    expect(res.error!.data.code).toBe("NOT_FOUND");
    expect(res.error!.message).toBe("branch not found");
    expect((await client.query("directory.staff", { branchId: spaBranch.id }, salonToken)).error!.data.code).toBe("NOT_FOUND");
    // the spa's service and staff ids never show up for the salon
    const spaServices = (await client.query("directory.services", undefined, spaToken)).data.map((s: { id: string }) => s.id);
    const salonServices = (await client.query("directory.services", undefined, salonToken)).data.map((s: { id: string }) => s.id);
    expect(salonServices.filter((id: string) => spaServices.includes(id))).toEqual([]);
  });

  it("answers NOT_FOUND, not BAD_REQUEST, for a well-formed id that does not exist", async () => {
    const res = await client.query("directory.staff", { branchId: "00000000-0000-4000-8000-000000000000" }, salonToken);
    expect(res.error!.data.code).toBe("NOT_FOUND");
  });

  it("names the malformed field", async () => {
    const res = await client.query("directory.services", { branchId: "42" }, salonToken);
    expect(res.status).toBe(400);
    expect(res.error!.data.fields).toEqual(["branchId"]);
    expect(res.error!.message).toContain("branchId: must be a UUID");
  });

  it("accepts batched calls", async () => {
    const url = `${api.baseUrl}/trpc/directory.branches,directory.staff?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: undefined, 1: {} }))}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${salonToken}` } });
    const body = (await res.json()) as { result: { data: unknown[] } }[];
    expect(body).toHaveLength(2);
    expect(body[1]!.result.data).toHaveLength(3);
  });
});
