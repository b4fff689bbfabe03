import { addException, listExceptions, removeException, setWeeklyRules } from "@askproai/db";
import { addExceptionInput, instantSchema, idSchema, removeExceptionInput, setWeeklyRulesInput } from "@askproai/shared";
import { z } from "zod";
import { bookingContextOf, protectedProcedure, requireRole, router } from "../trpc.js";

export const scheduleRouter = router({
  exceptions: protectedProcedure
    .input(z.object({ from: instantSchema, to: instantSchema, branchId: idSchema.optional() }))
    .query(({ ctx, input }) => listExceptions(bookingContextOf(ctx), input)),
  /** Front desks record sick days and time off, so every role may add and remove exceptions. */
  addException: protectedProcedure.input(addExceptionInput).mutation(({ ctx, input }) => addException(bookingContextOf(ctx), input)),
  removeException: protectedProcedure.input(removeExceptionInput).mutation(({ ctx, input }) => removeException(bookingContextOf(ctx), input.id)),
  setWeeklyRules: requireRole("owner", "admin")
    .input(setWeeklyRulesInput)
    .mutation(({ ctx, input }) => setWeeklyRules(bookingContextOf(ctx), input)),
});
