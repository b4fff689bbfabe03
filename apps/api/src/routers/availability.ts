import { getAvailability, poolOf } from "@askproai/db";
import { availabilityQuery } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const availabilityRouter = router({
  slots: protectedProcedure
    .input(availabilityQuery)
    .query(({ ctx, input }) => getAvailability({ db: poolOf(ctx.deps.db), cache: ctx.deps.availabilityCache }, ctx.session.user.companyId, input)),
});
