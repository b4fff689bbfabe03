import { afterEach, describe, expect, it } from "vitest";
import { closeDb, createDb } from "../client.js";
import { createFixtureCompany } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { SessionCache } from "./session-cache.js";
import { authenticate, openSession, revokeSession } from "./sessions.js";

const { bed } = useTestbed();
const caches: SessionCache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.stop()));
});

/** A cache as an API process has one, once its LISTEN connection is up. */
const liveCache = async (ttlMs = 30_000) => {
  const cache = new SessionCache(bed.scratch.url, { ttlMs }).start();
  caches.push(cache);
  await expect.poll(() => cache.live, { timeout: 5_000, interval: 10 }).toBe(true);
  return cache;
};

/** A database handle that can no longer run a query: a session answered through it came from the cache. */
const closedDb = async () => {
  const db = createDb({ url: bed.scratch.url, poolSize: 1 });
  await closeDb(db);
  return db;
};

const userSession = async (role: "front_desk" | "owner" = "front_desk") => {
  const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
  const user = await bed.scratch.db.user.create({
    data: { companyId: f.companyId, email: `u-${Math.random().toString(36).slice(2)}@example.test`, name: "Desk", role, passwordHash: "x" },
  });
  const { token } = await openSession(bed.scratch.db, { ...user, company: { timezone: "Europe/Berlin" } }, { sessionTtlHours: 1 });
  return { f, user, token };
};

describe("the session cache", () => {
  it("answers a checked session without the database, and forgets it when another process revokes it", async () => {
    const { token } = await userSession();
    const processA = await liveCache();
    const first = await authenticate(bed.scratch.db, token, processA);
    expect(first?.user.role).toBe("front_desk");
    // Cached: answered although this handle cannot query any more.
    expect(await authenticate(await closedDb(), token, processA)).toEqual(first);

    // Another process (here: another connection) logs the session out: A hears it at the commit.
    await revokeSession(bed.scratch.db, first!.sessionId);
    await expect.poll(() => authenticate(bed.scratch.db, token, processA), { timeout: 2_000, interval: 5 }).toBeNull();
  });

  it("forgets sessions when a user is deactivated or changes role, or their company is suspended", async () => {
    const { f, user, token } = await userSession();
    const cache = await liveCache();
    const cachedRole = async () => (await authenticate(bed.scratch.db, token, cache))?.user.role ?? null;
    expect(await cachedRole()).toBe("front_desk");
    await bed.scratch.db.user.update({ where: { id: user.id }, data: { role: "admin" } });
    await expect.poll(cachedRole, { timeout: 2_000, interval: 5 }).toBe("admin");
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { suspendedAt: new Date() } });
    await expect.poll(cachedRole, { timeout: 2_000, interval: 5 }).toBeNull();
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { suspendedAt: null } });
    expect(await cachedRole()).toBe("admin");
    await bed.scratch.db.user.update({ where: { id: user.id }, data: { isActive: false } });
    await expect.poll(cachedRole, { timeout: 2_000, interval: 5 }).toBeNull();
  });

  it("answers nothing from memory while its LISTEN connection is down, and again once it is back", async () => {
    const { token } = await userSession();
    const cache = await liveCache();
    expect(await authenticate(bed.scratch.db, token, cache)).not.toBeNull();
    // The connection that listens is killed (a restarted database, a network cut).
    await bed.scratch.db.$executeRawUnsafe(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN askproai_auth%'",
    );
    await expect.poll(() => cache.live, { timeout: 2_000, interval: 5 }).toBe(false);
    // Not live: the database is asked (the closed handle fails), nothing is stored meanwhile.
    await expect(authenticate(await closedDb(), token, cache)).rejects.toThrow();
    expect(await authenticate(bed.scratch.db, token, cache)).not.toBeNull();
    // It reconnects by itself, and caches again.
    await expect.poll(() => cache.live, { timeout: 5_000, interval: 20 }).toBe(true);
    expect(await authenticate(bed.scratch.db, token, cache)).not.toBeNull();
    expect(await authenticate(await closedDb(), token, cache)).not.toBeNull();
  });

  it("never stores what it read before a change it was told of, nor beyond the session's expiry", async () => {
    const { token } = await userSession();
    const cache = await liveCache();
    const session = (await authenticate(bed.scratch.db, token))!;
    const before = cache.begin();
    cache.invalidate(); // a notification arrived while that read was under way
    cache.set("h", session, Date.now() + 60_000, before, Date.now());
    expect(cache.get("h", Date.now())).toBeUndefined();
    cache.set("h", session, Date.now() + 1_000, cache.begin(), Date.now());
    expect(cache.get("h", Date.now())).toEqual(session);
    expect(cache.get("h", Date.now() + 1_001)).toBeUndefined();
  });
});
