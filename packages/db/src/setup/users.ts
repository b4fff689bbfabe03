/**
 * The company's users: invited with a one-time link (../auth/invites.ts), given a role, deactivated
 * (never deleted: audit rows and appointments name them). Deactivating revokes their sessions and open
 * invitations at once. Only an owner grants, takes or touches the owner role, and the last active
 * owner can be neither demoted nor deactivated (owners are locked while that is checked, so two owners
 * cannot demote each other at once).
 */
import { DomainError, notFound, toZonedIso, type ChangeRoleInput, type InviteUserInput } from "@askproai/shared";
import type { UserRole } from "../generated/prisma/enums.js";
import { inviteLink, issueInvite } from "../auth/invites.js";
import type { OperationContext } from "../context.js";
import { companyProfileOf } from "../directory/directory.js";
import { applyChange, type SetupTx } from "./change.js";

export type UserStatus = "invited" | "active" | "deactivated";

export interface UserOut {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  lastLoginAt: string | null;
  /** When the open invitation expires (status invited). */
  inviteExpiresAt: string | null;
}

export interface InvitedUser {
  user: UserOut;
  /** The one-time link to hand to the invitee (shown once; only its token's hash is stored). */
  inviteUrl: string;
  inviteExpiresAt: string;
}

export interface InviteLinks {
  /** Where the API is reached from outside (`PUBLIC_BASE_URL`); the link is `<base>/invite#token=…`. */
  publicBaseUrl: string;
}

type UserRow = { id: string; email: string; name: string; role: UserRole; isActive: boolean; passwordHash: string | null; lastLoginAt: Date | null };

const statusOf = (u: Pick<UserRow, "isActive" | "passwordHash">): UserStatus => (!u.isActive ? "deactivated" : u.passwordHash ? "active" : "invited");

const toOut = (u: UserRow, zone: string, inviteExpiresAt: Date | null = null): UserOut => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  status: statusOf(u),
  lastLoginAt: u.lastLoginAt ? toZonedIso(u.lastLoginAt.getTime(), zone) : null,
  inviteExpiresAt: inviteExpiresAt && statusOf(u) === "invited" ? toZonedIso(inviteExpiresAt.getTime(), zone) : null,
});

export const listUsers = async (ctx: OperationContext): Promise<UserOut[]> => {
  const { timezone } = await companyProfileOf(ctx);
  const users = await ctx.db.user.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { invites: { where: { acceptedAt: null, revokedAt: null }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  return users.map((u) => toOut(u, timezone, u.invites[0]?.expiresAt ?? null));
};

/** The acting user's role (FORBIDDEN for a deactivated one); the command line acts as the system, with every right. */
const actorRole = async (tx: SetupTx, ctx: OperationContext): Promise<UserRole | "system"> => {
  if (ctx.actor.type !== "user" || !ctx.actor.id) return "system";
  const me = await tx.user.findUnique({ where: { id: ctx.actor.id }, select: { role: true, isActive: true } });
  if (!me?.isActive) throw new DomainError("FORBIDDEN", "your user is not active");
  return me.role;
};

const requireOwnerFor = (role: UserRole | "system", touchesOwner: boolean) => {
  if (touchesOwner && role !== "owner" && role !== "system") throw new DomainError("FORBIDDEN", "only an owner can grant, take or change the owner role");
};

/** Locks the company's active owners and refuses when `leaving` is the last of them. */
const keepAnOwner = async (tx: SetupTx, companyId: string, leaving: string) => {
  const owners = await tx.$queryRawUnsafe<{ id: string }[]>(
    "SELECT id FROM users WHERE company_id = $1::uuid AND role = 'owner' AND is_active ORDER BY id FOR UPDATE",
    companyId,
  );
  if (!owners.some((o) => o.id !== leaving)) throw new DomainError("PRECONDITION_FAILED", "the company's last active owner cannot be demoted or deactivated");
};

const loadUser = async (tx: SetupTx, id: string) => {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user) throw notFound("user");
  return user;
};

export const inviteUser = async (ctx: OperationContext, input: InviteUserInput, links: InviteLinks): Promise<InvitedUser> => {
  const { timezone } = await companyProfileOf(ctx);
  return applyChange(
    ctx,
    async (tx) => {
      requireOwnerFor(await actorRole(tx, ctx), input.role === "owner");
      if (await tx.user.findFirst({ where: { email: input.email }, select: { id: true } })) {
        throw new DomainError("CONFLICT", "email: already a user of this company (resend the invitation or reactivate them)", { fields: ["email"] });
      }
      const user = await tx.user.create({ data: { companyId: ctx.companyId, email: input.email, name: input.name, role: input.role, passwordHash: null } });
      const invite = await issueInvite(tx, { companyId: ctx.companyId, userId: user.id, createdBy: ctx.actor.id ?? null, now: ctx.now() });
      return {
        result: { user: toOut(user, timezone, invite.expiresAt), inviteUrl: inviteLink(links.publicBaseUrl, invite.token), inviteExpiresAt: toZonedIso(invite.expiresAt.getTime(), timezone) },
        audit: { action: "user.invite", entity: "user", entityId: user.id, changes: { email: input.email, name: input.name, role: input.role } },
      };
    },
    // Addresses are unique across companies (a login finds its company by it); whose it is stays unsaid.
    { unique: { field: "email", message: "an account with this address already exists; invite another address" } },
  );
};

/** A new link for a user who has not accepted yet; the earlier link stops working. */
export const resendInvite = async (ctx: OperationContext, id: string, links: InviteLinks): Promise<InvitedUser> => {
  const { timezone } = await companyProfileOf(ctx);
  return applyChange(ctx, async (tx) => {
    const user = await loadUser(tx, id);
    requireOwnerFor(await actorRole(tx, ctx), user.role === "owner");
    if (statusOf(user) !== "invited") throw new DomainError("PRECONDITION_FAILED", `the user is ${statusOf(user)}, not waiting for an invitation`);
    const invite = await issueInvite(tx, { companyId: ctx.companyId, userId: id, createdBy: ctx.actor.id ?? null, now: ctx.now() });
    return {
      result: { user: toOut(user, timezone, invite.expiresAt), inviteUrl: inviteLink(links.publicBaseUrl, invite.token), inviteExpiresAt: toZonedIso(invite.expiresAt.getTime(), timezone) },
      audit: { action: "user.resendInvite", entity: "user", entityId: id },
    };
  });
};

/** Takes effect on the user's next request (every request reads the role). */
export const changeUserRole = async (ctx: OperationContext, input: ChangeRoleInput): Promise<UserOut> => {
  const { timezone } = await companyProfileOf(ctx);
  return applyChange(ctx, async (tx) => {
    const user = await loadUser(tx, input.id);
    if (user.role === input.role) return { result: toOut(user, timezone), audit: [] };
    requireOwnerFor(await actorRole(tx, ctx), user.role === "owner" || input.role === "owner");
    if (user.role === "owner" && user.isActive) await keepAnOwner(tx, ctx.companyId, user.id);
    const updated = await tx.user.update({ where: { id: input.id }, data: { role: input.role } });
    return { result: toOut(updated, timezone), audit: { action: "user.changeRole", entity: "user", entityId: input.id, changes: { role: { from: user.role, to: input.role } } } };
  });
};

/** Revokes the user's sessions and open invitations in the same transaction. */
export const deactivateUser = async (ctx: OperationContext, id: string): Promise<UserOut> => {
  const { timezone } = await companyProfileOf(ctx);
  return applyChange(ctx, async (tx) => {
    const user = await loadUser(tx, id);
    if (!user.isActive) return { result: toOut(user, timezone), audit: [] };
    if (ctx.actor.type === "user" && ctx.actor.id === id) throw new DomainError("PRECONDITION_FAILED", "you cannot deactivate yourself");
    requireOwnerFor(await actorRole(tx, ctx), user.role === "owner");
    if (user.role === "owner") await keepAnOwner(tx, ctx.companyId, user.id);
    const updated = await tx.user.update({ where: { id }, data: { isActive: false } });
    const sessions = await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date(ctx.now()) } });
    await tx.userInvite.updateMany({ where: { userId: id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date(ctx.now()) } });
    return {
      result: toOut(updated, timezone),
      audit: { action: "user.deactivate", entity: "user", entityId: id, changes: { isActive: { from: true, to: false }, revokedSessions: sessions.count } },
    };
  });
};

export const reactivateUser = async (ctx: OperationContext, id: string): Promise<UserOut> => {
  const { timezone } = await companyProfileOf(ctx);
  return applyChange(ctx, async (tx) => {
    const user = await loadUser(tx, id);
    if (user.isActive) return { result: toOut(user, timezone), audit: [] };
    requireOwnerFor(await actorRole(tx, ctx), user.role === "owner");
    const updated = await tx.user.update({ where: { id }, data: { isActive: true } });
    return { result: toOut(updated, timezone), audit: { action: "user.reactivate", entity: "user", entityId: id, changes: { isActive: { from: false, to: true } } } };
  });
};
