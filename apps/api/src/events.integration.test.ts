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

interface Received {
  id?: string;
  data: { seq: number; type: string; appointment: { id: string; status: string; start: string } };
  at: number;
}

/** Reads the subscription's server-sent events as a browser's EventSource would, over plain HTTP. */
const subscribe = async (opts: { token?: string; lastEventId?: string; connectionToken?: string }) => {
  const controller = new AbortController();
  const url = new URL("/trpc/events.onChange", api.baseUrl);
  if (opts.lastEventId) url.searchParams.set("input", JSON.stringify({ lastEventId: opts.lastEventId }));
  if (opts.connectionToken) url.searchParams.set("connectionParams", JSON.stringify({ token: opts.connectionToken }));
  const res = await fetch(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {}, signal: controller.signal });
  const events: Received[] = [];
  let connected = false;
  const reading = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
          const event = field("event");
          if (event === "connected") connected = true;
          const data = field("data");
          if (!event && data) events.push({ id: field("id"), data: JSON.parse(data) as Received["data"], at: Date.now() });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: res.status,
    events,
    isConnected: () => connected,
    async close() {
      controller.abort();
      await reading;
    },
  };
};

const book = async (token: string, branchId: string, serviceId: string, start: string, key: string) =>
  (
    await client.mutation(
      "appointments.create",
      { branchId, serviceId, start, customer: { phone: `+49151${Math.floor(1e6 + Math.random() * 8e6)}`, name: "Live Kunde" }, idempotencyKey: key },
      token,
    )
  ).data as { id: string; version: number };

describe("events.onChange (SSE)", () => {
  // First in this file: nobody has subscribed to this API process yet, so its changes are not numbered yet.
  it("a subscriber starting from now hears what happens after it, not the backlog of changes nobody listened to", async () => {
    const owner = await client.login("owner@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, owner.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, owner.token)).data[0].id as string;
    const date = nextDate(9);
    for (const [i, hhmm] of ["09:00", "09:30", "10:00"].entries()) await book(owner.token, branchId, serviceId, at(date, hhmm), `backlog-${i}`);

    const live = await subscribe({ token: owner.token });
    await expect.poll(() => live.isConnected(), { timeout: 5_000 }).toBe(true);
    const after = await book(owner.token, branchId, serviceId, at(date, "11:00"), "backlog-after");
    await expect.poll(() => live.events.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // one poll of the hub more: nothing old arrives late
    expect(live.events.map((e) => e.data.appointment.id)).toEqual([after.id]);
    await live.close();
  });

  it("delivers the company's changes within a second, resumes after lastEventId, and never another company's", async () => {
    const desk = await client.login("desk@simple-salon.example");
    const owner = await client.login("owner@simple-salon.example");
    const spa = await client.login("desk@matrix-spa.example");
    const branchId = (await client.query("directory.branches", undefined, desk.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, desk.token)).data[0].id as string;
    const spaBranch = (await client.query("directory.branches", undefined, spa.token)).data[0].id as string;
    const spaService = (await client.query("directory.services", { branchId: spaBranch }, spa.token)).data[0].id as string;
    const date = nextDate(5);

    const live = await subscribe({ token: desk.token });
    expect(live.status).toBe(200);
    await expect.poll(() => live.isConnected(), { timeout: 5_000 }).toBe(true);

    const committed = Date.now();
    const first = await book(owner.token, branchId, serviceId, at(date, "10:00"), "live-key-0001");
    await book(spa.token, spaBranch, spaService, at(date, "11:00"), "live-key-spa1");
    await client.mutation("appointments.cancel", { id: first.id }, owner.token);
    await expect.poll(() => live.events.length, { timeout: 5_000 }).toBe(2);
    expect(live.events.map((e) => [e.data.type, e.data.appointment.id])).toEqual([
      ["appointment.created", first.id],
      ["appointment.cancelled", first.id],
    ]);
    expect(live.events[0]!.id).toBe(String(live.events[0]!.data.seq));
    expect(live.events[1]!.data.seq).toBeGreaterThan(live.events[0]!.data.seq);
    expect(live.events[0]!.data.appointment.start).toMatch(/\+0[12]:00$/);
    console.log(`live update: ${live.events[0]!.at - committed} ms from the booking request to the desk's event`);
    const lastSeen = live.events[1]!.id!;
    await live.close();

    // Missed while disconnected: replayed first on resume, in order.
    const missedA = await book(owner.token, branchId, serviceId, at(date, "12:00"), "live-key-0002");
    const missedB = await book(owner.token, branchId, serviceId, at(date, "12:30"), "live-key-0003");
    const resumed = await subscribe({ token: desk.token, lastEventId: lastSeen });
    await expect.poll(() => resumed.events.length, { timeout: 5_000 }).toBe(2);
    expect(resumed.events.map((e) => e.data.appointment.id)).toEqual([missedA.id, missedB.id]);
    await resumed.close();

    // A token passed as a connection parameter (EventSource cannot send headers) works too.
    const byParam = await subscribe({ connectionToken: desk.token });
    expect(byParam.status).toBe(200);
    await byParam.close();
  });

  it("refuses a subscription without a valid token", async () => {
    const res = await subscribe({ token: "not-a-token" });
    expect(res.status).toBe(401);
    await res.close();
  });
});
