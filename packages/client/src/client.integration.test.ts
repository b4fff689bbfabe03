import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { useTestApi, uniqueKey, uniquePhone } from "@askproai/api/testing";
import { EventSource } from "eventsource";
import { describe, expect, it } from "vitest";
import { alternativesOf, createAskProAIClient, errorCodeOf, isUnreachable, MAX_BATCH_ITEMS, type RouterOutputs } from "./index.js";

const t = useTestApi();

/** A fetch that records the URLs and headers of every request, so batching and headers can be seen. */
const recordingFetch = () => {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    requests.push({ url: String(input instanceof Request ? input.url : input), headers });
    return globalThis.fetch(input, init);
  };
  return { requests, fetch };
};

const berlinDate = (daysAhead: number) => {
  const d = new Date(Date.now() + daysAhead * 86_400_000);
  return d.toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });
};

const deskSession = async (options: { fetch?: typeof globalThis.fetch; clientName?: string } = {}) => {
  const { token } = await createAskProAIClient({ url: t.api.baseUrl }).auth.login.mutate({ email: "desk@simple-salon.example", password: "demo-pass-123" });
  const api = createAskProAIClient({ url: t.api.baseUrl, token, ...options });
  const [branch] = await api.directory.branches.query();
  const services = await api.directory.services.query({ branchId: branch!.id });
  const service = services.find((s) => s.durationMinutes === 30)!;
  return { token, api, branch: branch!, service };
};

/** The first offered slot at least `daysAhead` days out. */
const firstSlot = async (s: Awaited<ReturnType<typeof deskSession>>, daysAhead: number) => {
  const { slots } = await s.api.availability.slots.query({ branchId: s.branch.id, serviceId: s.service.id, from: berlinDate(daysAhead), days: 7 });
  expect(slots.length).toBeGreaterThan(0);
  return slots[0]!;
};

describe("createAskProAIClient against the real API", () => {
  it("logs in, batches reads, books with the typed input, repeats idempotently, and reads CONFLICT alternatives", async () => {
    const recorder = recordingFetch();
    const s = await deskSession({ fetch: recorder.fetch, clientName: "desktop" });
    expect(s.branch.timezone).toBe("Europe/Berlin");

    // Two queries issued together travel in one HTTP request.
    recorder.requests.length = 0;
    const [staff, branches] = await Promise.all([s.api.directory.staff.query({ branchId: s.branch.id }), s.api.directory.branches.query()]);
    expect(staff.length).toBe(3);
    expect(branches.map((b) => b.id)).toContain(s.branch.id);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]!.url).toMatch(/\/trpc\/directory\.staff,directory\.branches\?batch=1/);
    expect(recorder.requests[0]!.headers["x-askproai-client"]).toBe("desktop");
    expect(recorder.requests[0]!.headers.authorization).toBe(`Bearer ${s.token}`);

    const slot = await firstSlot(s, 2);
    const input = {
      branchId: s.branch.id,
      serviceId: s.service.id,
      staffId: slot.staffId,
      start: slot.start,
      customer: { phone: uniquePhone(), name: "Clara Client" },
      idempotencyKey: uniqueKey("client"),
    };
    const booked: RouterOutputs["appointments"]["create"] = await s.api.appointments.create.mutate(input);
    expect(booked).toMatchObject({ status: "confirmed", start: slot.start, staffId: slot.staffId, replayed: false });
    const again = await s.api.appointments.create.mutate(input);
    expect(again).toMatchObject({ id: booked.id, replayed: true });

    // The desk header makes the booking's source "desktop".
    const detail = await s.api.appointments.get.query({ id: booked.id });
    expect(detail.source).toBe("desktop");

    const conflict = await s.api.appointments.create.mutate({ ...input, idempotencyKey: uniqueKey("client") }).catch((e: unknown) => e);
    expect(errorCodeOf(conflict)).toBe("CONFLICT");
    expect(isUnreachable(conflict)).toBe(false);
    const alternatives = alternativesOf(conflict);
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives[0]).toEqual({ start: expect.any(String), end: expect.any(String), staffId: expect.any(String), staffName: expect.any(String) });
  });

  it(`splits more than ${MAX_BATCH_ITEMS} calls into batches the server accepts`, async () => {
    const recorder = recordingFetch();
    const s = await deskSession({ fetch: recorder.fetch });
    recorder.requests.length = 0;
    const answers = await Promise.all(Array.from({ length: 25 }, () => s.api.directory.branches.query()));
    expect(answers.every((a) => a.length === 1)).toBe(true);
    expect(recorder.requests).toHaveLength(2);
  });

  it("says UNAUTHORIZED without a token and unreachable when nothing answers", async () => {
    const anonymous = createAskProAIClient({ url: `${t.api.baseUrl}/trpc` });
    const refused = await anonymous.directory.branches.query().catch((e: unknown) => e);
    expect(errorCodeOf(refused)).toBe("UNAUTHORIZED");
    expect(isUnreachable(refused)).toBe(false);

    const nowhere = createAskProAIClient({ url: "http://127.0.0.1:9", token: "x" });
    const down = await nowhere.directory.branches.query().catch((e: unknown) => e);
    expect(errorCodeOf(down)).toBeUndefined();
    expect(isUnreachable(down)).toBe(true);
  });

  it("receives events.onChange over SSE in Node with the token in a header, never in the URL", async () => {
    const recorder = recordingFetch();
    const s = await deskSession();
    const live = createAskProAIClient({ url: t.api.baseUrl, token: s.token, EventSource, fetch: recorder.fetch });
    const received: { seq: number; type: string; appointment: { id: string } }[] = [];
    let started!: () => void;
    const connected = new Promise<void>((resolve) => (started = resolve));
    const subscription = live.events.onChange.subscribe(undefined, {
      onStarted: () => started(),
      onData: (event) => received.push(event.data),
    });
    try {
      await connected;
      const slot = await firstSlot(s, 3);
      const booked = await s.api.appointments.create.mutate({
        branchId: s.branch.id, serviceId: s.service.id, staffId: slot.staffId, start: slot.start,
        customer: { phone: uniquePhone(), name: "Live Listener" }, idempotencyKey: uniqueKey("live"),
      });
      await expect.poll(() => received.find((e) => e.appointment.id === booked.id), { timeout: 5_000 }).toMatchObject({ type: "appointment.created" });
      const sse = recorder.requests.find((r) => r.url.includes("events.onChange"))!;
      expect(sse.headers.authorization).toBe(`Bearer ${s.token}`);
      expect(sse.url).not.toContain(s.token);
    } finally {
      subscription.unsubscribe();
    }
  });

  it("runs the root README's script as written", async () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");
    const script = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(script).toBeDefined();
    expect(script).toContain("createAskProAIClient");
    expect(script!.trim().split("\n").length).toBeLessThanOrEqual(12);
    // In the repository root, where the README says to save it (as book.mts).
    const file = fileURLToPath(new URL(`../../../readme-script-${process.pid}.mts`, import.meta.url));
    writeFileSync(file, script!);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
        env: { ...process.env, ASKPROAI_API_URL: t.api.baseUrl },
        timeout: 30_000,
      });
      expect(stdout).toMatch(/^booked [0-9a-f-]{36} at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d \(confirmed\)$/m);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
