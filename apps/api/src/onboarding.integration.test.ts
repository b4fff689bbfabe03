/**
 * A new business starts without us: `npm run company:create` (the real script, against the test's
 * database) makes an empty company and prints the owner's link; the owner accepts it and sets the
 * company up through the API alone, invites a front desk, and the desk books over HTTP, and so does a
 * caller through the voice agent (a signed Retell function call to the number the owner entered).
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { newCall } from "./testing/retell.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);

/** Runs the script as an operator would (without the build step of the npm script), never throwing. */
const companyCreate = async (args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/company-create.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.api.scratch.url, PUBLIC_BASE_URL: t.api.baseUrl, NODE_ENV: "test" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");
const ok = <T = any>(res: { status: number; data: T; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};

describe("npm run company:create, then the owner alone", () => {
  it("an empty company, set up through the API, takes a desk booking and a booking by a signed voice call", async () => {
    const created = await companyCreate(["--slug", "salon-neu", "--name", "Salon Neu", "--owner-email", "Chefin@Salon-Neu.example", "--owner-name", "Nora Neu"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/→ creating Salon Neu \(salon-neu, simple, Europe\/Berlin, DE\) with its owner chefin@salon-neu\.example/);
    expect(created.stdout).toMatch(/✓ owner invited: Nora Neu <chefin@salon-neu\.example>/);
    const link = /(http:\/\/\S+\/invite#token=\S+)/.exec(created.stdout)?.[1];
    expect(link, created.stdout).toBeDefined();
    expect(link!.startsWith(`${t.api.baseUrl}/invite#token=`)).toBe(true);
    const company = await t.api.scratch.db.company.findUniqueOrThrow({ where: { slug: "salon-neu" } });
    expect(await t.api.scratch.db.branch.count({ where: { companyId: company.id } })).toBe(0);
    // the link's token is not what is stored
    expect(await t.api.scratch.db.userInvite.count({ where: { tokenHash: tokenOf(link!) } })).toBe(0);

    // no password yet: no login
    expect((await t.client.mutation("auth.login", { email: "chefin@salon-neu.example", password: "not-a-real-password" })).status).toBe(401);
    const weak = await t.client.mutation("auth.acceptInvite", { token: tokenOf(link!), password: "short" });
    expect(weak.error!.data.fields).toEqual(["password"]);
    const accepted = ok(await t.client.mutation("auth.acceptInvite", { token: tokenOf(link!), password: "Salon-Neu-2026!" }));
    expect(accepted.user).toMatchObject({ name: "Nora Neu", role: "owner", companyId: company.id });
    const owner = accepted.token as string;
    expect((await t.client.mutation("auth.acceptInvite", { token: tokenOf(link!), password: "Another-Pass-2026" })).status).toBe(401); // once only

    const empty = ok(await t.client.query("setup.readiness", undefined, owner));
    expect(empty).toEqual({ ready: false, missing: ["branch", "service", "staff", "skill", "hours"] });

    const branch = ok(await t.client.mutation("setup.branches.create", { name: "Salon Neu Mitte", phoneNumber: "030 23125160", city: "Berlin" }, owner));
    const service = ok(await t.client.mutation("setup.services.create", { name: "Waschen, Schneiden, Föhnen", durationMinutes: 45, priceMinor: 4200 }, owner));
    const staff = ok(await t.client.mutation("setup.staff.create", { name: "Lina Sommer", branchIds: [branch.id] }, owner));
    expect(ok(await t.client.query("setup.readiness", undefined, owner)).missing).toEqual(["skill", "hours"]);
    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: service.id }] }, owner));
    const week = [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1080 }));
    ok(await t.client.mutation("schedule.setWeeklyRules", { branchId: branch.id, staffId: staff.id, rules: week }, owner));
    expect(ok(await t.client.query("setup.readiness", undefined, owner))).toEqual({ ready: true, missing: [] });

    const invited = ok(await t.client.mutation("setup.users.invite", { email: "empfang@salon-neu.example", name: "Empfang", role: "front_desk" }, owner));
    expect(invited.user).toMatchObject({ status: "invited", role: "front_desk" });
    const desk = ok(await t.client.mutation("auth.acceptInvite", { token: tokenOf(invited.inviteUrl), password: "Empfang-Neu-2026" })).token as string;

    const date = nextDate(5);
    const slots = ok(await t.client.query("availability.slots", { branchId: branch.id, serviceId: service.id, from: date, days: 1 }, desk)).slots;
    expect(slots[0]).toMatchObject({ start: at(date, "09:00"), staffId: staff.id });
    const booking = ok(await t.client.mutation("appointments.create", {
      branchId: branch.id, serviceId: service.id, start: slots[0].start, customer: { phone: uniquePhone(), name: "Erste Kundin" }, idempotencyKey: uniqueKey("neu"),
    }, desk));
    expect(booking).toMatchObject({ status: "confirmed", staffId: staff.id });
    expect(Date.parse(booking.end) - Date.parse(booking.start)).toBe(45 * 60_000);

    // and a caller books by phone: the voice agent finds the new company by the branch's number as the
    // owner typed it ("030 23125160"), offers the next free time after the desk's booking and books it
    const call = newCall(t.api, "+493023125160");
    const offered = await call.fn("check_availability", { service: "Waschen Schneiden", date });
    expect(offered.body.ok, offered.body.result).toBe(true);
    expect(offered.body.slots[0]).toMatchObject({ start: at(date, "09:45"), staffId: staff.id, staffName: "Lina Sommer" });
    const byVoice = await call.fn("book_appointment", { service: "Waschen, Schneiden, Föhnen", start: offered.body.slots[0].start, customer_name: "Anruferin Neu" });
    expect(byVoice.body.ok, byVoice.body.result).toBe(true);
    expect(byVoice.body.appointment).toMatchObject({ staffName: "Lina Sommer", serviceName: "Waschen, Schneiden, Föhnen" });
    expect(byVoice.body.result).toMatch(/9:45 Uhr bei Lina/);
    const stored = await t.api.scratch.db.appointment.findUniqueOrThrow({ where: { id: byVoice.body.appointment.id } });
    expect(stored).toMatchObject({ companyId: company.id, branchId: branch.id, source: "voice", retellCallId: call.id });

    // the owner's log tells the whole story, with who did what
    const log = ok(await t.client.query("setup.auditLog", { limit: 200 }, owner)) as { action: string; actorType: string; actorName: string }[];
    expect(log.map((e) => e.action).reverse().slice(0, 4)).toEqual(["company.create", "user.invite", "user.acceptInvite", "branch.create"]);
    expect(log.at(-1)).toMatchObject({ actorType: "system", actorName: "command line (company:create)" });
    expect(log.find((e) => e.action === "branch.create")).toMatchObject({ actorType: "user", actorName: "Nora Neu" });
  });

  it("refuses clearly: a taken slug or address, bad arguments, a database that does not answer", async () => {
    const again = await companyCreate(["--slug", "simple-salon", "--name", "Kopie", "--owner-email", "neu@kopie.example"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/✗ slug: another company has this slug/);
    const taken = await companyCreate(["--slug", "kopie", "--name", "Kopie", "--owner-email", "owner@simple-salon.example"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/✗ ownerEmail: an account with this address already exists/);
    expect(taken.stderr).not.toMatch(/simple-salon|Salon/i);
    const bad = await companyCreate(["--slug", "Bad Slug!", "--owner-email", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm run company:create/);
    expect(bad.stderr).toMatch(/--slug: must be 3–50 lower-case letters/);
    expect(bad.stderr).toMatch(/--name: is required/);
    expect(bad.stderr).toMatch(/--owner-email: must be an email address/);
    const unknown = await companyCreate(["--slug", "x-y-z", "--nme", "typo"]);
    expect(unknown.code).toBe(2);
    const down = await run(process.execPath, ["--import", "tsx", "scripts/company-create.ts", "--slug", "ab-c", "--name", "N", "--owner-email", "a@b.example"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere", NODE_ENV: "test" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(down).toMatchObject({ code: 1, stderr: expect.stringMatching(/✗ PostgreSQL does not answer at DATABASE_URL/) });
    expect(await t.api.scratch.db.company.count({ where: { slug: { in: ["kopie", "ab-c"] } } })).toBe(0);
  });
});
