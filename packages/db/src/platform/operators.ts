/**
 * Platform operators: AskProAI's own people who onboard and support companies. They belong to no
 * company and have their own table, login and sessions, so a platform token can never be mistaken for
 * a company user's (`authenticate` only reads `sessions`) and a company token never opens `platform.*`
 * (`authenticatePlatform` only reads `platform_sessions`).
 */
import { randomBytes } from "node:crypto";
import { DomainError, toZonedIso, type LoginInput } from "@askproai/shared";
import type { Db } from "../client.js";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../auth/passwords.js";
import { hashToken } from "../auth/sessions.js";

export interface PlatformOperatorOut {
  id: string;
  email: string;
  name: string;
}

export interface PlatformLoginOutput {
  token: string;
  expiresAt: string;
  operator: PlatformOperatorOut;
}

/** Operators' answers carry Berlin's offset (the first market); an instant is the same instant in any zone. */
const OPERATOR_ZONE = "Europe/Berlin";

export const platformLogin = async (db: Db, input: LoginInput, opts: { sessionTtlHours: number; userAgent?: string | null }): Promise<PlatformLoginOutput> => {
  const operator = await db.platformOperator.findUnique({ where: { email: input.email } });
  const ok = await verifyPassword(operator?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!operator || !ok || !operator.isActive) throw new DomainError("UNAUTHORIZED", "email or password is wrong");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + opts.sessionTtlHours * 3_600_000);
  await db.$transaction([
    db.platformSession.create({ data: { operatorId: operator.id, tokenHash: hashToken(token), expiresAt, userAgent: opts.userAgent?.slice(0, 300) ?? null } }),
    db.platformOperator.update({ where: { id: operator.id }, data: { lastLoginAt: new Date() } }),
  ]);
  return { token, expiresAt: toZonedIso(expiresAt.getTime(), OPERATOR_ZONE), operator: { id: operator.id, email: operator.email, name: operator.name } };
};

export interface PlatformSessionOf {
  sessionId: string;
  operator: PlatformOperatorOut;
}

/** The operator behind a platform token, or null (unknown, expired, revoked, deactivated, or a company user's token). */
export const authenticatePlatform = async (db: Db, token: string): Promise<PlatformSessionOf | null> => {
  if (!token || token.length > 200) return null;
  const session = await db.platformSession.findUnique({ where: { tokenHash: hashToken(token) }, include: { operator: true } });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now() || !session.operator.isActive) return null;
  return { sessionId: session.id, operator: { id: session.operator.id, email: session.operator.email, name: session.operator.name } };
};

export const revokePlatformSession = async (db: Db, sessionId: string) => {
  await db.platformSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
};

/** Creates an operator with a generated password, shown once to whoever runs the command. */
export const createPlatformOperator = async (db: Db, input: { email: string; name: string; password?: string }) => {
  const password = input.password ?? randomBytes(15).toString("base64url");
  const exists = await db.platformOperator.findUnique({ where: { email: input.email }, select: { id: true } });
  if (exists) throw new DomainError("CONFLICT", "email: a platform operator with this address exists", { fields: ["email"] });
  const operator = await db.platformOperator.create({ data: { email: input.email, name: input.name, passwordHash: await hashPassword(password) } });
  return { operator: { id: operator.id, email: operator.email, name: operator.name }, password };
};
