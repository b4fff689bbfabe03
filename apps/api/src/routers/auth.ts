import { login, revokeSession } from "@askproai/db/auth";
import { DomainError, loginInput } from "@askproai/shared";
import { protectedProcedure, publicProcedure, router } from "../trpc.js";

export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const limiter = ctx.deps.loginLimiter;
    const ip = ctx.ip ?? "unknown";
    await limiter.check(input.email, ip);
    try {
      const result = await login(ctx.deps.db, input, { sessionTtlHours: ctx.deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent });
      await limiter.recordSuccess(input.email);
      ctx.log.info({ userId: result.user.id, companyId: result.user.companyId }, "login succeeded");
      return result;
    } catch (error) {
      if (error instanceof DomainError && error.code === "UNAUTHORIZED") {
        await limiter.recordFailure(input.email, ip);
        ctx.log.info("login failed");
      }
      throw error;
    }
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await revokeSession(ctx.deps.db, ctx.session.sessionId);
    return { ok: true as const };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.session.user),
});
