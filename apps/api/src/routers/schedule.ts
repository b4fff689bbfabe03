import { addException, listExceptions, removeException, setWeeklyRules } from "@askproai/db/schedule";
import { addExceptionInput, instantSchema, idSchema, removeExceptionInput, setWeeklyRulesInput } from "@askproai/shared";
import { z } from "zod";
import { protectedProcedure, requireRole, router } from "../trpc.js";

export const scheduleRouter = router({
  exceptions: protectedProcedure
    .input(z.object({ from: instantSchema, to: instantSchema, branchId: idSchema.optional() }))
    .query(({ ctx, input }) => listExceptions(ctx.op, input)),
  /** Front desks record sick days and time off, so every role may add and remove exceptions. */
  addException: protectedProcedure.input(addExceptionInput).mutation(({ ctx, input }) => addException(ctx.op, input)),
  removeException: protectedProcedure.input(removeExceptionInput).mutation(({ ctx, input }) => removeException(ctx.op, input.id)),
  setWeeklyRules: requireRole("owner", "admin")
    .input(setWeeklyRulesInput)
    .mutation(({ ctx, input }) => setWeeklyRules(ctx.op, input)),
});
