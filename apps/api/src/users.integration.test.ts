/**
 * The company's users over real HTTP: one-time invitation links, roles, deactivation that ends sessions
 * at once, and the owner role that only owners hand out and that a company never loses.
 */
import { publicBaseUrlOf } from "@askproai/shared/server";
import { describe, expect, it } from "vitest";
import { useTestApi } from "./testing/server.js";

const t = useTestApi();

const ok = <T = any>(res: { status: number; data: T; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");
const owner = () => t.client.login("owner@simple-salon.example");

/** Invites and accepts: the new user's session token and id. */
const addUser = async (by: string, email: string, role: "owner" | "admin" | "front_desk") => {
  const invited = ok(await t.client.mutation("setup.users.invite", { email, name: email.split("@")[0], role }, by));
  const accepted = ok(await t.client.mutation("auth.acceptInvite", { token: tokenOf(invited.inviteUrl), password: "correct-horse-battery" }));
  return { token: accepted.token as string, id: accepted.user.id as string };
};

describe("invitations", () => {
  it("a one-time link: no login before, a password that works after, the link dead afterwards", async () => {
    const { token } = await owner();
    const invited = ok(await t.client.mutation("setup.users.invite", { email: " Mara@Simple-Salon.example ", name: "Mara Licht", role: "admin" }, token));
    expect(invited.user).toMatchObject({ email: "mara@simple-salon.example", role: "admin", status: "invited" });
    expect(invited.inviteUrl).toMatch(/\/invite#token=[A-Za-z0-9_-]{43}$/);
    expect(invited.inviteUrl.startsWith(`${publicBaseUrlOf(t.api.deps.config)}/invite#`)).toBe(true);
    expect(Date.parse(invited.inviteExpiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await t.client.mutation("auth.login", { email: "mara@simple-salon.example", password: "not-a-real-password" })).status).toBe(401);

    const accepted = ok(await t.client.mutation("auth.acceptInvite", { token: tokenOf(invited.inviteUrl), password: "Licht-und-Schatten", name: "Mara Licht-Berg" }));
    expect(accepted.user).toMatchObject({ name: "Mara Licht-Berg", role: "admin" });
    expect(ok(await t.client.query("auth.me", undefined, accepted.token)).name).toBe("Mara Licht-Berg");
    expect(ok(await t.client.mutation("auth.login", { email: "mara@simple-salon.example", password: "Licht-und-Schatten" })).user.role).toBe("admin");
    const reused = await t.client.mutation("auth.acceptInvite", { token: tokenOf(invited.inviteUrl), password: "taken-over-account" });
    expect(reused.status).toBe(401);
    expect((await t.client.mutation("auth.login", { email: "mara@simple-salon.example", password: "taken-over-account" })).status).toBe(401);
    const users = ok(await t.client.query("setup.users.list", undefined, token)) as { email: string; status: string }[];
    expect(users.find((u) => u.email === "mara@simple-salon.example")!.status).toBe("active");
  });

  it("an expired link, a resent link's predecessor and a made-up token are all refused the same way", async () => {
    const { token } = await owner();
    const first = ok(await t.client.mutation("setup.users.invite", { email: "tom@simple-salon.example", name: "Tom", role: "front_desk" }, token));
    const second = ok(await t.client.mutation("setup.users.resendInvite", { id: first.user.id }, token));
    for (const link of [first.inviteUrl, `${t.api.baseUrl}/invite#token=${"x".repeat(43)}`]) {
      const res = await t.client.mutation("auth.acceptInvite", { token: tokenOf(link), password: "some-long-password" });
      expect(res.status).toBe(401);
      expect(res.error!.message).toBe("this invitation link is not valid (any more): ask for a new one");
    }
    await t.api.scratch.db.userInvite.updateMany({ where: { userId: first.user.id, revokedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await t.client.mutation("auth.acceptInvite", { token: tokenOf(second.inviteUrl), password: "some-long-password" })).status).toBe(401);
    expect((await t.api.scratch.db.user.findUniqueOrThrow({ where: { id: first.user.id } })).passwordHash).toBeNull();
  });

  it("an address in use is refused without saying where; the same company's is named as such", async () => {
    const { token } = await owner();
    const elsewhere = await t.client.mutation("setup.users.invite", { email: "desk@matrix-spa.example", name: "X", role: "front_desk" }, token);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.error!.data.fields).toEqual(["email"]);
    expect(elsewhere.error!.message).not.toMatch(/matrix|spa/i);
    const here = await t.client.mutation("setup.users.invite", { email: "desk@simple-salon.example", name: "X", role: "front_desk" }, token);
    expect(here.status).toBe(409);
    expect(here.error!.message).toMatch(/already a user of this company/);
    const before = await t.api.scratch.db.user.count();
    expect((await t.client.mutation("setup.users.invite", { email: "not-an-address", name: "", role: "boss" }, token)).error!.data.fields).toEqual(
      expect.arrayContaining(["email", "name", "role"]),
    );
    expect(await t.api.scratch.db.user.count()).toBe(before);
  });
});

describe("roles and deactivation", () => {
  it("deactivating a user ends their sessions at once and keeps them on record", async () => {
    const { token } = await owner();
    const desk = await addUser(token, "ben@simple-salon.example", "front_desk");
    const second = ok(await t.client.mutation("auth.login", { email: "ben@simple-salon.example", password: "correct-horse-battery" })).token as string;
    expect((await t.client.query("directory.branches", undefined, desk.token)).status).toBe(200);
    const done = ok(await t.client.mutation("setup.users.deactivate", { id: desk.id }, token));
    expect(done.status).toBe("deactivated");
    for (const session of [desk.token, second]) expect((await t.client.query("directory.branches", undefined, session)).status).toBe(401);
    expect((await t.client.mutation("auth.login", { email: "ben@simple-salon.example", password: "correct-horse-battery" })).status).toBe(401);
    expect(await t.api.scratch.db.session.count({ where: { userId: desk.id, revokedAt: null } })).toBe(0);
    expect(await t.api.scratch.db.user.count({ where: { id: desk.id } })).toBe(1);
    ok(await t.client.mutation("setup.users.reactivate", { id: desk.id }, token));
    expect((await t.client.mutation("auth.login", { email: "ben@simple-salon.example", password: "correct-horse-battery" })).status).toBe(200);
  });

  it("a role change counts on the user's next request", async () => {
    const { token } = await owner();
    const user = await addUser(token, "ida@simple-salon.example", "front_desk");
    expect((await t.client.query("setup.users.list", undefined, user.token)).status).toBe(403);
    expect(ok(await t.client.mutation("setup.users.changeRole", { id: user.id, role: "admin" }, token)).role).toBe("admin");
    expect((await t.client.query("setup.users.list", undefined, user.token)).status).toBe(200);
  });

  it("only owners hand out or touch the owner role; the last owner stays; nobody deactivates themselves", async () => {
    const { token, user: me } = await owner();
    const admin = await addUser(token, "ada@simple-salon.example", "admin");
    const forbidden = [
      await t.client.mutation("setup.users.invite", { email: "boss@simple-salon.example", name: "Boss", role: "owner" }, admin.token),
      await t.client.mutation("setup.users.changeRole", { id: admin.id, role: "owner" }, admin.token),
      await t.client.mutation("setup.users.changeRole", { id: me.id, role: "front_desk" }, admin.token),
      await t.client.mutation("setup.users.deactivate", { id: me.id }, admin.token),
    ];
    for (const res of forbidden) expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect((await t.client.mutation("setup.users.deactivate", { id: admin.id }, admin.token)).error!.message).toBe("you cannot deactivate yourself");
    const last = await t.client.mutation("setup.users.changeRole", { id: me.id, role: "admin" }, token);
    expect(last.status).toBe(412);
    expect(last.error!.message).toMatch(/last active owner/);
    // a second owner, then the first may step down
    ok(await t.client.mutation("setup.users.changeRole", { id: admin.id, role: "owner" }, token));
    ok(await t.client.mutation("setup.users.changeRole", { id: me.id, role: "admin" }, token));
    expect((await t.client.mutation("setup.users.changeRole", { id: admin.id, role: "admin" }, admin.token)).status).toBe(412);
    ok(await t.client.mutation("setup.users.changeRole", { id: me.id, role: "owner" }, admin.token));
    const log = ok(await t.client.query("setup.auditLog", { entity: "user", entityId: me.id }, token)) as { action: string; actorId: string; changes: any }[];
    expect(log.map((e) => [e.action, e.actorId, e.changes.role?.to])).toEqual([
      ["user.changeRole", admin.id, "owner"],
      ["user.changeRole", me.id, "admin"],
    ]);
  });

  it("another company's users are NOT_FOUND", async () => {
    const { token } = await owner();
    const spaDesk = await t.api.scratch.db.user.findUniqueOrThrow({ where: { email: "desk@matrix-spa.example" } });
    for (const [path, input] of [
      ["setup.users.deactivate", { id: spaDesk.id }],
      ["setup.users.changeRole", { id: spaDesk.id, role: "admin" }],
      ["setup.users.resendInvite", { id: spaDesk.id }],
    ] as const) {
      expect((await t.client.mutation(path, input, token)).status, path).toBe(404);
    }
    expect(await t.api.scratch.db.user.findUniqueOrThrow({ where: { id: spaDesk.id } })).toMatchObject({ isActive: true, role: "front_desk" });
  });
});

describe("the invitation link's page", () => {
  it("is served where the link points, with a policy that allows only its own script and calls", async () => {
    const { token } = await owner();
    const invited = ok(await t.client.mutation("setup.users.invite", { email: "page@simple-salon.example", name: "Page", role: "front_desk" }, token));
    const url = new URL(invited.inviteUrl);
    const page = await fetch(`${t.api.baseUrl}${url.pathname}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toBe("default-src 'none'; script-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toMatch(/<script src="\/invite\.js" defer><\/script>/);
    expect(html).not.toMatch(/<script>/);
    const script = await fetch(`${t.api.baseUrl}/invite.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(await script.text()).toContain('fetch("/trpc/auth.acceptInvite"');
  });
});
