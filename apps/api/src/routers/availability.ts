import { getAvailability } from "@askproai/db/availability";
import { availabilityQuery } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const availabilityRouter = router({
  slots: protectedProcedure.input(availabilityQuery).query(({ ctx, input }) => getAvailability(ctx.op, input)),
});
