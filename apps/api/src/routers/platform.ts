/** `platform.*`: AskProAI's own operators, outside every company (README "Platform operators"). */
import { createCompany, getCompany, listCompanies, platformLogin, revokePlatformSession, setCompanySuspended } from "@askproai/db/platform";
import { byIdInput, createCompanyInput, loginInput, suspendCompanyInput } from "@askproai/shared";
import { publicBaseUrlOf } from "@askproai/shared/server";
import { platformProcedure, publicProcedure, router } from "../trpc.js";
import { limitedLogin } from "./auth.js";

export const platformRouter = router({
  login: publicProcedure
    .input(loginInput)
    .mutation(({ ctx, input }) => limitedLogin(ctx, `platform:${input.email}`, () => platformLogin(ctx.deps.db, input, { sessionTtlHours: ctx.deps.config.SESSION_TTL_HOURS, userAgent: ctx.userAgent }))),
  logout: platformProcedure.mutation(async ({ ctx }) => {
    await revokePlatformSession(ctx.deps.db, ctx.platform.sessionId);
    return { ok: true as const };
  }),
  me: platformProcedure.query(({ ctx }) => ctx.platform.operator),
  companies: router({
    list: platformProcedure.query(({ ctx }) => listCompanies(ctx.deps.db, ctx.acting)),
    get: platformProcedure.input(byIdInput).query(({ ctx, input }) => getCompany(ctx.deps.db, ctx.acting, input.id)),
    create: platformProcedure
      .input(createCompanyInput)
      .mutation(({ ctx, input }) => createCompany(ctx.deps.db, ctx.acting, input, { publicBaseUrl: publicBaseUrlOf(ctx.deps.config) })),
    suspend: platformProcedure.input(suspendCompanyInput).mutation(({ ctx, input }) => setCompanySuspended(ctx.deps.db, ctx.acting, { ...input, suspend: true })),
    unsuspend: platformProcedure.input(byIdInput).mutation(({ ctx, input }) => setCompanySuspended(ctx.deps.db, ctx.acting, { id: input.id, suspend: false })),
  }),
});
