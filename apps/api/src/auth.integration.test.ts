import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;

beforeAll(async () => {
  api = await startTestApi();
  client = http(api.baseUrl);
});
afterAll(async () => api?.close());

describe("auth.login over plain HTTP", () => {
  it("returns a token and the user exactly as the contract shows", async () => {
    const res = await client.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" });
    expect(res.status).toBe(200);
    expect(res.data.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(res.data.user).toEqual({ id: expect.any(String), name: expect.any(String), role: "front_desk", companyId: expect.any(String) });
    const company = await api.scratch.db.company.findUnique({ where: { slug: "simple-salon" } });
    expect(res.data.user.companyId).toBe(company!.id);
    // the token itself is never stored, only its hash
    const sessions = await api.scratch.db.session.findMany({ where: { userId: res.data.user.id } });
    expect(sessions.some((s) => s.tokenHash === res.data.token)).toBe(false);
  });

  it("treats the email case-insensitively", async () => {
    const res = await client.mutation("auth.login", { email: "Owner@Simple-Salon.example", password: "demo-pass-123" });
    expect(res.data.user.role).toBe("owner");
  });

  it("fails a wrong password and an unknown user the same way", async () => {
    const wrong = await client.mutation("auth.login", { email: "owner@matrix-spa.example", password: "nope-nope" });
    const unknown = await client.mutation("auth.login", { email: "ghost@matrix-spa.example", password: "demo-pass-123" });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.error!.data.code).toBe("UNAUTHORIZED");
      expect(res.error!.message).toBe("email or password is wrong");
    }
  });

  it("blocks an email after too many failed attempts, even with the right password", async () => {
    const email = "desk@hotline-clinic.example";
    for (let i = 0; i < 5; i++) {
      expect((await client.mutation("auth.login", { email, password: `wrong-${i}` })).status).toBe(401);
    }
    const blocked = await client.mutation("auth.login", { email, password: "demo-pass-123" });
    expect(blocked.status).toBe(429);
    expect(blocked.error!.data.code).toBe("TOO_MANY_REQUESTS");
    expect(blocked.error!.data.retryAfterSeconds).toBeGreaterThan(0);
    // other accounts are unaffected
    expect((await client.mutation("auth.login", { email: "owner@hotline-clinic.example", password: "demo-pass-123" })).status).toBe(200);
  });

  it("rejects malformed input naming the fields", async () => {
    const res = await client.mutation("auth.login", { email: "not-an-email" });
    expect(res.status).toBe(400);
    expect(res.error!.data.code).toBe("BAD_REQUEST");
    expect(res.error!.data.fields).toEqual(expect.arrayContaining(["email", "password"]));
    expect(res.error!.message).toMatch(/email: must be an email address/);
    expect(res.error!.message).toMatch(/password/);
  });
});

describe("sessions", () => {
  it("rejects a missing, malformed or unknown token with UNAUTHORIZED", async () => {
    for (const token of [undefined, "garbage", "A".repeat(43)]) {
      const res = await client.query("directory.branches", undefined, token);
      expect(res.status).toBe(401);
      expect(res.error!.data.code).toBe("UNAUTHORIZED");
    }
  });

  it("stops working once revoked by logout", async () => {
    const { token } = await client.login("owner@matrix-spa.example");
    expect((await client.query("directory.branches", undefined, token)).status).toBe(200);
    expect((await client.mutation("auth.logout", {}, token)).status).toBe(200);
    expect((await client.query("directory.branches", undefined, token)).status).toBe(401);
  });

  it("stops working once expired", async () => {
    const { token, user } = await client.login("desk@matrix-spa.example");
    await api.scratch.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.query("directory.branches", undefined, token)).status).toBe(401);
  });
});

describe("correlation ids", () => {
  it("echoes a given x-correlation-id and makes one when missing", async () => {
    const given = await client.query("directory.branches", undefined, undefined, { "x-correlation-id": "call-1234:abc" });
    expect(given.headers.get("x-correlation-id")).toBe("call-1234:abc");
    const made = await client.query("directory.branches");
    expect(made.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.error!.data.correlationId).toBe(made.headers.get("x-correlation-id"));
  });
});
