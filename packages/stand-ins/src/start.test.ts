import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_CALCOM_API_KEY } from "./calcom/index.js";
import { startStandIns } from "./start.js";
import { call } from "./testing/receiver.js";

const calHeaders = { authorization: `Bearer ${DEMO_CALCOM_API_KEY}`, "cal-api-version": "2024-08-13" };
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().replace(/T.*/, "T10:00:00.000Z");

describe("startStandIns", () => {
  it("starts the chosen stand-ins only and names the variables that point at them", async () => {
    const some = await startStandIns({ calcom: true, smtp: true });
    try {
      expect(Object.keys(some.env).sort()).toEqual(["CALCOM_API_URL", "SMTP_URL"]);
      expect(some.sms).toBeUndefined();
      expect(some.describe()).toHaveLength(2);
      expect((await call(`${some.env.CALCOM_API_URL}/v2/bookings`, { headers: calHeaders })).status).toBe(200);
    } finally {
      await some.close();
    }
    await expect(fetch(`${some.env.CALCOM_API_URL}/v2/bookings`)).rejects.toThrow();
  });

  it("starts all of them when called without options", async () => {
    const all = await startStandIns();
    try {
      expect(Object.keys(all.env).sort()).toEqual(["CALCOM_API_URL", "SMS_API_URL", "SMTP_URL", "STRIPE_API_URL"]);
    } finally {
      await all.close();
    }
  });
});

describe("the CLI in another process, driven over HTTP", () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  });

  it("prints its URLs, obeys control routes, serves every protocol, and stops cleanly on SIGTERM", async () => {
    const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
    child = spawn(process.execPath, ["--import", "tsx", cli, "--json"], { stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
    const env = JSON.parse(line) as Record<string, string>;

    await call(`${env.CALCOM_API_URL}/__standin/faults`, { body: { kind: "status", status: 503, count: 1, method: "POST" } });
    const body = { start: tomorrow(), eventTypeId: 3, attendee: { name: "A B", timeZone: "Europe/Berlin", phoneNumber: "+4915123456789" } };
    expect((await call(`${env.CALCOM_API_URL}/v2/bookings`, { headers: calHeaders, body })).status).toBe(503);
    expect((await call(`${env.CALCOM_API_URL}/v2/bookings`, { headers: calHeaders, body })).status).toBe(201);
    expect((await call(`${env.CALCOM_API_URL}/__standin/bookings`)).body).toHaveLength(1);

    await nodemailer.createTransport(env.SMTP_URL).sendMail({ from: "a@example.org", to: "b@example.org", subject: "hello", text: "hi" });
    expect((await call(`${env.SMTP_HTTP_URL}/__standin/messages`)).body.map((m: any) => m.subject)).toEqual(["hello"]);
    expect((await call(`${env.SMS_API_URL}/__standin/messages`)).body).toEqual([]);
    expect((await call(`${env.STRIPE_API_URL}/v1/subscriptions/sub_demo_hotline_clinic`, { headers: { authorization: "Bearer sk_test_1" } })).body.status).toBe("active");

    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
