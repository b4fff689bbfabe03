/**
 * Platform operators over real HTTP: their own login outside every company, tokens that never cross
 * over to company procedures (nor the other way), every read and write of a company in that company's
 * audit log for its owner to see, and suspension that shuts a company's users out until it is lifted.
 */
import { createPlatformOperator } from "@askproai/db/platform";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApi } from "./testing/server.js";

const t = useTestApi();
const ok = <T = any>(res: { status: number; data: T; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};

let operator: string;
beforeAll(async () => {
  await createPlatformOperator(t.api.scratch.db, { email: "ops@askproai.example", name: "Olga Ops", password: "platform-pass-2026" });
  operator = ok(await t.client.mutation("platform.login", { email: "ops@askproai.example", password: "platform-pass-2026" })).token;
});

describe("the platform operator's login", () => {
  it("is its own: a wrong password fails, and tokens never cross between platform and companies", async () => {
    expect((await t.client.mutation("platform.login", { email: "ops@askproai.example", password: "wrong-password" })).status).toBe(401);
    // a company owner's credentials are no platform login, and an operator's are no company login
    expect((await t.client.mutation("platform.login", { email: "owner@simple-salon.example", password: "demo-pass-123" })).status).toBe(401);
    expect((await t.client.mutation("auth.login", { email: "ops@askproai.example", password: "platform-pass-2026" })).status).toBe(401);

    const owner = (await t.client.login("owner@simple-salon.example")).token;
    for (const path of ["platform.companies.list", "platform.me"]) expect((await t.client.query(path, undefined, owner)).status, path).toBe(401);
    expect((await t.client.mutation("platform.companies.create", { slug: "x-y", name: "X", ownerEmail: "x@y.example" }, owner)).status).toBe(401);
    for (const path of ["directory.branches", "auth.me", "setup.company.get", "setup.auditLog", "appointments.list"]) {
      const res = await t.client.query(path, path === "appointments.list" ? { branchId: "00000000-0000-4000-8000-000000000000", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" } : undefined, operator);
      expect(res.status, path).toBe(401);
    }
    expect(ok(await t.client.query("platform.me", undefined, operator))).toMatchObject({ name: "Olga Ops", email: "ops@askproai.example" });
  });
});

describe("what operators do with companies, and what owners see of it", () => {
  it("lists companies with their readiness; each listed company's owner sees the access", async () => {
    const companies = ok(await t.client.query("platform.companies.list", undefined, operator)) as { slug: string; ready: boolean; id: string }[];
    expect(companies.map((c) => c.slug).sort()).toEqual(["hotline-clinic", "matrix-spa", "simple-salon"]);
    expect(companies.every((c) => c.ready)).toBe(true);
    for (const slug of ["simple-salon", "matrix-spa"]) {
      const owner = (await t.client.login(`owner@${slug}.example`)).token;
      const log = ok(await t.client.query("setup.auditLog", undefined, owner)) as { action: string; actorType: string; actorName: string; at: string }[];
      expect(log[0]).toMatchObject({ action: "platform.companies.list", actorType: "platform_operator", actorName: "Olga Ops (AskProAI)" });
    }
  });

  it("a read of one company is in that company's log only", async () => {
    const salon = await t.api.scratch.db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } });
    const detail = ok(await t.client.query("platform.companies.get", { id: salon.id }, operator));
    expect(detail).toMatchObject({ slug: "simple-salon", ready: true, missing: [], counts: { branches: 1, staff: 3 } });
    expect((await t.client.query("platform.companies.get", { id: "00000000-0000-4000-8000-000000000000" }, operator)).status).toBe(404);
    const salonOwner = (await t.client.login("owner@simple-salon.example")).token;
    expect((ok(await t.client.query("setup.auditLog", { limit: 1 }, salonOwner)) as { action: string }[])[0]!.action).toBe("platform.companies.get");
    const spaOwner = (await t.client.login("owner@matrix-spa.example")).token;
    expect((ok(await t.client.query("setup.auditLog", { limit: 1 }, spaOwner)) as { action: string }[])[0]!.action).toBe("platform.companies.list");
  });

  it("creates an empty company whose owner's link works, refusing a taken slug", async () => {
    const created = ok(await t.client.mutation("platform.companies.create", { slug: "praxis-nord", name: "Praxis Nord", ownerEmail: "leitung@praxis-nord.example", businessModel: "multi_branch_hotline" }, operator));
    expect(created.company).toMatchObject({ slug: "praxis-nord", businessModel: "multi_branch_hotline", ready: false, missing: ["branch", "service", "staff", "skill", "hours"] });
    expect(created.owner).toMatchObject({ email: "leitung@praxis-nord.example", name: "leitung" });
    const accepted = ok(await t.client.mutation("auth.acceptInvite", { token: new URL(created.inviteUrl).hash.slice("#token=".length), password: "Nord-Praxis-2026", name: "Dr. Nord" }));
    const log = ok(await t.client.query("setup.auditLog", undefined, accepted.token)) as { action: string; actorName: string }[];
    expect(log.map((e) => [e.action, e.actorName]).reverse()).toEqual([
      ["company.create", "Olga Ops (AskProAI)"],
      ["user.invite", "Olga Ops (AskProAI)"],
      ["user.acceptInvite", "Dr. Nord"],
    ]);
    const taken = await t.client.mutation("platform.companies.create", { slug: "praxis-nord", name: "Zweite", ownerEmail: "zwei@praxis-nord.example" }, operator);
    expect(taken.status).toBe(409);
    expect(taken.error!.data.fields).toEqual(["slug"]);
    expect((await t.client.mutation("platform.companies.create", { slug: "-x", name: "", ownerEmail: "y" }, operator)).error!.data.fields).toEqual(
      expect.arrayContaining(["slug", "name", "ownerEmail"]),
    );
  });

  it("suspension shuts the company's users out (sessions and logins) until it is lifted; the owner sees both", async () => {
    const clinic = await t.api.scratch.db.company.findUniqueOrThrow({ where: { slug: "hotline-clinic" } });
    const desk = (await t.client.login("desk@hotline-clinic.example")).token;
    const suspended = ok(await t.client.mutation("platform.companies.suspend", { id: clinic.id, reason: "Zahlung offen" }, operator));
    expect(suspended).toMatchObject({ suspendedReason: "Zahlung offen", ready: false, missing: ["active"] });
    expect((await t.client.query("directory.branches", undefined, desk)).status).toBe(401);
    const login = await t.client.mutation("auth.login", { email: "owner@hotline-clinic.example", password: "demo-pass-123" });
    expect(login.status).toBe(403);
    expect(login.error!.message).toMatch(/suspended/);
    // a wrong password still says only that
    expect((await t.client.mutation("auth.login", { email: "owner@hotline-clinic.example", password: "wrong-password" })).status).toBe(401);
    // other companies carry on
    expect((await t.client.query("directory.branches", undefined, (await t.client.login("desk@simple-salon.example")).token)).status).toBe(200);

    const lifted = ok(await t.client.mutation("platform.companies.unsuspend", { id: clinic.id }, operator));
    expect(lifted).toMatchObject({ suspendedAt: null, ready: true });
    expect((await t.client.query("directory.branches", undefined, desk)).status).toBe(200);
    const owner = (await t.client.login("owner@hotline-clinic.example")).token;
    const log = ok(await t.client.query("setup.auditLog", { limit: 2 }, owner)) as { action: string; changes: unknown }[];
    expect(log.map((e) => e.action)).toEqual(["platform.companies.unsuspend", "platform.companies.suspend"]);
    expect(log[1]!.changes).toEqual({ reason: "Zahlung offen" });
  });

  it("a logged-out operator's token is dead", async () => {
    const token = ok(await t.client.mutation("platform.login", { email: "ops@askproai.example", password: "platform-pass-2026" })).token;
    ok(await t.client.mutation("platform.logout", undefined, token));
    expect((await t.client.query("platform.companies.list", undefined, token)).status).toBe(401);
  });
});
