import { createHash, randomBytes } from "node:crypto";
import { DomainError, toZonedIso, type LoginInput, type LoginOutput, type SessionUser } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";
import { dummyPasswordHash, verifyPassword } from "./passwords.js";
import type { SessionCache } from "./session-cache.js";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const invalidCredentials = () => new DomainError("UNAUTHORIZED", "email or password is wrong");

/**
 * Verifies the password (argon2id) and opens a session. Unknown users, users who have not accepted
 * their invitation yet and wrong passwords fail the same way and take the same time. Rate limiting is
 * the caller's (transport) concern.
 */
export const login = async (
  db: Db,
  input: LoginInput,
  opts: { sessionTtlHours: number; userAgent?: string | null },
): Promise<LoginOutput> => {
  const user = await db.user.findUnique({ where: { email: input.email }, include: { company: { select: { timezone: true, suspendedAt: true } } } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user?.passwordHash || !ok || !user.isActive) throw invalidCredentials();
  // Only after the password: nobody learns from this that an address exists.
  if (user.company.suspendedAt) throw new DomainError("FORBIDDEN", "your company's access is suspended; please contact AskProAI");
  return openSession(db, user, opts);
};

/** A new session for a user who has proven who they are (a password, an accepted invitation). */
export const openSession = async (
  db: Db,
  user: { id: string; companyId: string; name: string; role: SessionUser["role"]; company: { timezone: string } },
  opts: { sessionTtlHours: number; userAgent?: string | null },
): Promise<LoginOutput> => {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + opts.sessionTtlHours * 3_600_000);
  await db.$transaction([
    db.session.create({
      data: {
        companyId: user.companyId,
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt,
        userAgent: opts.userAgent?.slice(0, 300) ?? null,
      },
    }),
    db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } }),
  ]);
  return {
    token,
    // Like every instant answered, with an offset: the company's zone (a login is not tied to a branch).
    expiresAt: toZonedIso(expiresAt.getTime(), user.company.timezone),
    user: { id: user.id, name: user.name, role: user.role, companyId: user.companyId },
  };
};

export interface AuthenticatedSession {
  sessionId: string;
  user: SessionUser;
}

const TOUCH_INTERVAL_MS = 5 * 60_000;

/**
 * The session behind a bearer token, or null when unknown, expired, revoked, the user is disabled or
 * their company suspended.
 * Runs on every request, hence plain SQL (../sql.ts), and answered from the process's SessionCache
 * when one is given (./session-cache.ts: emptied by every change of a session, user or company).
 */
export const authenticate = async (db: Db, token: string, cache?: SessionCache | null): Promise<AuthenticatedSession | null> => {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const cached = cache?.get(tokenHash, Date.now());
  if (cached) return cached;
  const generation = cache?.begin() ?? 0;
  const pool = poolOf(db);
  const { rows } = await pool.query<{ sessionId: string; lastUsedAt: Date | null; expiresAt: Date; id: string; name: string; role: SessionUser["role"]; companyId: string }>({
    name: "askproai_authenticate",
    text: `SELECT s.id AS "sessionId", s.last_used_at AS "lastUsedAt", s.expires_at AS "expiresAt", u.id, u.name, u.role, u.company_id AS "companyId"
           FROM sessions s JOIN users u ON u.id = s.user_id AND u.company_id = s.company_id
             JOIN companies c ON c.id = s.company_id
           WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active AND c.suspended_at IS NULL`,
    values: [tokenHash],
  });
  const row = rows[0];
  if (!row) return null;
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    // Throttled so that a busy desk does not write on every request.
    await pool.query("UPDATE sessions SET last_used_at = now() WHERE id = $1::uuid", [row.sessionId]);
  }
  const session = { sessionId: row.sessionId, user: { id: row.id, name: row.name, role: row.role, companyId: row.companyId } };
  cache?.set(tokenHash, session, row.expiresAt.getTime(), generation, now);
  return session;
};

export const revokeSession = async (db: Db, sessionId: string) => {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
};
