/**
 * One-time invitation links. An owner (or the command line, for a new company's first owner) invites a
 * user; the link carries a random token whose SHA-256 alone is stored, valid for 7 days and once. Issuing a
 * new one revokes the user's earlier ones. Accepting sets the password and opens a session. System-level
 * like login: the token tells which company it is for.
 */
import { randomBytes } from "node:crypto";
import { DomainError, type AcceptInviteInput, type LoginOutput } from "@askproai/shared";
import type { Db } from "../client.js";
import { writeAudit, type RawRunner } from "../setup/audit.js";
import { poolOf } from "../client.js";
import { inTransaction } from "../sql.js";
import { hashPassword } from "./passwords.js";
import { hashToken, openSession } from "./sessions.js";

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** Issues a fresh invitation for the user inside the caller's transaction; earlier open ones stop working. */
export const issueInvite = async (tx: RawRunner, args: { companyId: string; userId: string; createdBy: string | null; now: number }) => {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(args.now + INVITE_TTL_MS);
  await tx.$executeRawUnsafe(
    `UPDATE user_invites SET revoked_at = now()
     WHERE company_id = $1::uuid AND user_id = $2::uuid AND accepted_at IS NULL AND revoked_at IS NULL`,
    args.companyId,
    args.userId,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO user_invites (id, company_id, user_id, token_hash, expires_at, created_by, created_at)
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4::timestamptz, $5::uuid, now())`,
    args.companyId,
    args.userId,
    hashToken(token),
    expiresAt,
    args.createdBy,
  );
  return { token, expiresAt };
};

/** The link an invitee opens: the token in the fragment, so it never reaches a server's access log. */
export const inviteLink = (publicBaseUrl: string, token: string) => `${publicBaseUrl.replace(/\/+$/, "")}/invite#token=${token}`;

const invalidInvite = () => new DomainError("UNAUTHORIZED", "this invitation link is not valid (any more): ask for a new one");

/**
 * Sets the invited user's password (and name, when given), uses the invitation up and opens a session.
 * An unknown, used, revoked or expired token fails before any password is hashed (no CPU for guessing).
 */
export const acceptInvite = async (
  db: Db,
  input: AcceptInviteInput,
  opts: { sessionTtlHours: number; userAgent?: string | null; correlationId: string },
): Promise<LoginOutput> => {
  const tokenHash = hashToken(input.token);
  const invite = await db.userInvite.findUnique({
    where: { tokenHash },
    include: { user: { select: { id: true, isActive: true, name: true } }, company: { select: { suspendedAt: true } } },
  });
  const usable = invite && !invite.acceptedAt && !invite.revokedAt && invite.expiresAt.getTime() > Date.now() && invite.user.isActive && !invite.company.suspendedAt;
  if (!usable) throw invalidInvite();
  const passwordHash = await hashPassword(input.password);
  await inTransaction(poolOf(db), async (tx) => {
    // Conditional, so two tabs submitting the same link at once cannot both use it.
    const used = await tx.query(
      "UPDATE user_invites SET accepted_at = now() WHERE id = $1::uuid AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()",
      [invite.id],
    );
    if (used.rowCount !== 1) throw invalidInvite();
    await tx.query("UPDATE users SET password_hash = $2, name = $3, updated_at = now() WHERE id = $1::uuid AND company_id = $4::uuid", [
      invite.userId,
      passwordHash,
      input.name ?? invite.user.name,
      invite.companyId,
    ]);
    await writeAudit(tx, invite.companyId, opts.correlationId, { type: "user", id: invite.userId, name: input.name ?? invite.user.name }, {
      action: "user.acceptInvite",
      entity: "user",
      entityId: invite.userId,
      changes: input.name && input.name !== invite.user.name ? { name: { from: invite.user.name, to: input.name } } : {},
    });
  });
  const user = await db.user.findUniqueOrThrow({ where: { id: invite.userId }, include: { company: { select: { timezone: true } } } });
  return openSession(db, user, opts);
};
