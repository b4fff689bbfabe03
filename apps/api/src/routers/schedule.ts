import { addException, getWeeklyRules, listExceptions, removeException, setWeeklyRules } from "@askproai/db/schedule";
import { addExceptionInput, listExceptionsInput, removeExceptionInput, setWeeklyRulesInput, weeklyRulesInput } from "@askproai/shared";
import { protectedProcedure, requireRole, router } from "../trpc.js";

export const scheduleRouter = router({
  exceptions: protectedProcedure.input(listExceptionsInput).query(({ ctx, input }) => listExceptions(ctx.op, input)),
  weeklyRules: protectedProcedure.input(weeklyRulesInput).query(({ ctx, input }) => getWeeklyRules(ctx.op, input)),
  /** Front desks record sick days and time off, so every role may add and remove exceptions. */
  addException: protectedProcedure.input(addExceptionInput).mutation(({ ctx, input }) => addException(ctx.op, input)),
  removeException: protectedProcedure.input(removeExceptionInput).mutation(({ ctx, input }) => removeException(ctx.op, input.id)),
  setWeeklyRules: requireRole("owner", "admin")
    .input(setWeeklyRulesInput)
    .mutation(({ ctx, input }) => setWeeklyRules(ctx.op, input)),
});
