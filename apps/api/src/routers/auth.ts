import { acceptInvite, login, revokeSession } from "@askproai/db/auth";
import { DomainError, acceptInviteInput, loginInput } from "@askproai/shared";
import { protectedProcedure, publicProcedure, router, type Context } from "../trpc.js";

/**
 * A login behind the rate limiter (per address and per client IP): company users and platform
 * operators alike, each under its own key.
 */
export const limitedLogin = async <T extends { token: string }>(ctx: Context, key: string, attempt: () => Promise<T>): Promise<T> => {
  const limiter = ctx.deps.loginLimiter;
  const ip = ctx.ip ?? "unknown";
  await limiter.check(key, ip);
  try {
    const result = await attempt();
    await limiter.recordSuccess(key);
    return result;
  } catch (error) {
    if (error instanceof DomainError && error.code === "UNAUTHORIZED") {
      await limiter.recordFailure(key, ip);
      ctx.log.info("login failed");
    }
    throw error;
  }
};

export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await limitedLogin(ctx, input.email, () =>
      login(ctx.deps.db, input, { sessionTtlHours: ctx.deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent }),
    );
    ctx.log.info({ userId: result.user.id, companyId: result.user.companyId }, "login succeeded");
    return result;
  }),

  /** Public: the invitation link's token proves who it is for; answers like login (a session). */
  acceptInvite: publicProcedure.input(acceptInviteInput).mutation(async ({ ctx, input }) => {
    const result = await acceptInvite(ctx.deps.db, input, {
      sessionTtlHours: ctx.deps.config.SESSION_TTL_HOURS,
      userAgent: ctx.userAgent,
      correlationId: ctx.correlationId,
    });
    ctx.log.info({ userId: result.user.id, companyId: result.user.companyId }, "invitation accepted");
    return result;
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.deps.db, ctx.session.sessionId);
    return { ok: true as const };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.session.user),
});
