/**
 * appointments.create and availability.slots are answered by the fast path (routes/fast-path.ts) when
 * sent as single calls, and by tRPC when batched: both must give the same answers and error shapes.
 */
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const batched = async (path: string, input: unknown, token?: string) => {
  const res = await fetch(`${t.api.baseUrl}/trpc/${path}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ 0: input }),
  });
  const [body] = (await res.json()) as { result?: { data: any }; error?: { message: string; code: number; data: Record<string, unknown> } }[];
  return { status: res.status, headers: res.headers, data: body!.result?.data, error: body!.error };
};

const withoutCorrelation = <T extends { data: Record<string, unknown> } | undefined>(e: T) => e && { ...e, data: { ...e.data, correlationId: undefined } };

describe("the booking fast path", () => {
  it("answers a booking, a conflict, a reason, a bad token and bad input as tRPC does", async () => {
    const { token } = await t.client.login("desk@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
    const serviceId = ((await t.client.query("directory.services", undefined, token)).data as { id: string; durationMinutes: number }[]).find((s) => s.durationMinutes === 30)!.id;
    const date = nextDate(26);
    const slots = (await t.client.query("availability.slots", { branchId, serviceId, from: date, days: 1 }, token)).data.slots as { start: string; end: string; staffId: string }[];
    // Three slots of one staff member that do not overlap.
    const after = (slot: { end: string; staffId: string }) => slots.find((s) => s.staffId === slot.staffId && Date.parse(s.start) >= Date.parse(slot.end))!;
    const first = slots[0]!;
    const second = after(first);
    const third = after(second);
    const booking = (slot: { start: string; staffId: string }) => ({ branchId, serviceId, staffId: slot.staffId, start: slot.start, customer: { phone: uniquePhone(), name: "Fast Path" }, idempotencyKey: uniqueKey("fast") });

    const single = await t.client.mutation("appointments.create", booking(first), token);
    const viaTrpc = await batched("appointments.create", booking(second), token);
    expect(single.status).toBe(200);
    expect(viaTrpc.status).toBe(200);
    expect(Object.keys(single.data).sort()).toEqual(Object.keys(viaTrpc.data).sort());
    expect(single.data).toMatchObject({ status: "confirmed", start: first.start, staffId: first.staffId, replayed: false });
    expect(single.headers.get("cache-control")).toBe("no-store");
    expect(single.headers.get("content-type")).toBe("application/json");
    // tRPC's adapter varies on its accept headers; the fast path does not: this one answered the single call.
    expect(viaTrpc.headers.get("vary")).toContain("trpc-accept");
    expect(single.headers.get("vary")).toBeNull();

    // The same slot again: CONFLICT with the same alternatives either way.
    const conflictSingle = await t.client.mutation("appointments.create", booking(first), token);
    const conflictTrpc = await batched("appointments.create", booking(first), token);
    expect(conflictSingle.status).toBe(409);
    expect(withoutCorrelation(conflictSingle.error)).toEqual(withoutCorrelation(conflictTrpc.error));
    expect(conflictSingle.error!.data.correlationId).toEqual(expect.any(String));
    expect((conflictSingle.error!.data.alternatives as unknown[]).length).toBeGreaterThan(0);

    // A start that could never be offered: BAD_REQUEST with its reason either way.
    const offGrid = { ...booking(first), start: at(date, "10:07") };
    const reasonSingle = await t.client.mutation("appointments.create", offGrid, token);
    const reasonTrpc = await batched("appointments.create", { ...offGrid, idempotencyKey: uniqueKey("fast") }, token);
    expect(reasonSingle.status).toBe(400);
    expect(reasonSingle.error!.data.reason).toBe("off_grid");
    expect(withoutCorrelation(reasonSingle.error)).toEqual(withoutCorrelation(reasonTrpc.error));

    // A repeat of the first booking's key is answered as a replay.
    const original = booking(second);
    const made = await t.client.mutation("appointments.create", { ...original, start: third.start }, token);
    expect(made.status).toBe(200);
    const replay = await t.client.mutation("appointments.create", { ...original, start: made.data.start }, token);
    expect(replay.data).toMatchObject({ id: made.data.id, replayed: true });

    // No valid session, or input that does not parse: tRPC's own answers, unchanged.
    const noSession = await t.client.mutation("appointments.create", booking(first), "not-a-token");
    expect(noSession.status).toBe(401);
    expect(noSession.error!.data).toMatchObject({ code: "UNAUTHORIZED", path: "appointments.create" });
    const bad = await t.client.mutation("appointments.create", { ...booking(first), start: "tomorrow" }, token);
    expect(bad.status).toBe(400);
    expect(bad.error!.data.fields).toEqual(["start"]);
    expect(bad.error!.data.path).toBe("appointments.create");
  });
});
