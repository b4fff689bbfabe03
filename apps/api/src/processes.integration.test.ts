/**
 * API_PROCESSES=2: two API processes behind one port (node:cluster) on one database and Redis. Sessions,
 * bookings and live updates work whichever process answers; SIGTERM drains both and exits 0.
 */
import { spawn } from "node:child_process";
import { get } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemoData } from "@askproai/db/seed";
import { clearRedisPrefix, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { freePort, http } from "./testing/server.js";

let scratch: ScratchDatabase;
const prefix = scratchRedisPrefix();
beforeAll(async () => {
  scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
});
afterAll(async () => {
  await clearRedisPrefix(prefix);
  await scratch?.drop();
});

describe("several API processes on one port", () => {
  it("share sessions, bookings and live updates, and all drain on SIGTERM", { timeout: 90_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), ".."),
      env: { ...process.env, DATABASE_URL: scratch.url, REDIS_PREFIX: prefix, PORT: String(port), API_PROCESSES: "2", LOG_LEVEL: "warn", NODE_ENV: "test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      const instances = new Set<number>();
      await expect
        .poll(
          async () => {
            // A new connection each time: the cluster spreads connections, not requests.
            const instance = await new Promise<number | null>((resolve) => {
              get(`${base}/healthz`, { agent: false }, (res) => {
                let body = "";
                res.on("data", (d: Buffer) => (body += d));
                res.on("end", () => resolve(res.statusCode === 200 ? (JSON.parse(body) as { instance: number }).instance : null));
              }).on("error", () => resolve(null));
            });
            if (instance !== null) instances.add(instance);
            return instances.size;
          },
          { timeout: 30_000, interval: 50 },
        )
        .toBe(2);

      const client = http(base);
      const desk = await client.login("desk@simple-salon.example");
      const branchId = (await client.query("directory.branches", undefined, desk.token)).data[0].id as string;
      const serviceId = (await client.query("directory.services", { branchId }, desk.token)).data[0].id as string;

      // A live subscriber on whichever process; bookings through both processes all reach it.
      const controller = new AbortController();
      const stream = await fetch(`${base}/trpc/events.onChange`, { headers: { authorization: `Bearer ${desk.token}` }, signal: controller.signal });
      expect(stream.status).toBe(200);
      let text = "";
      const reading = (async () => {
        for await (const chunk of stream.body!) text += new TextDecoder().decode(chunk as Uint8Array);
      })().catch(() => undefined);
      await expect.poll(() => text.includes("connected"), { timeout: 5_000 }).toBe(true);
      const date = nextDate(9);
      const booked = await Promise.all(
        ["09:00", "11:00", "13:00", "15:00"].map(async (hhmm, i) => {
          const res = await client.mutation("appointments.create", { branchId, serviceId, start: at(date, hhmm), customer: { phone: `+49151222333${i}`, name: "Zwei" }, idempotencyKey: `two-procs-${i}` }, desk.token);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          return res.data.id as string;
        }),
      );
      await expect.poll(() => booked.every((id) => text.includes(id)), { timeout: 5_000 }).toBe(true);

      const stopAsked = Date.now();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(Date.now() - stopAsked).toBeLessThan(8_000);
      controller.abort();
      await reading;
    } catch (error) {
      console.error(output);
      throw error;
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    expect(output).not.toMatch(/exited unexpectedly|forced exit/);
  });
});
