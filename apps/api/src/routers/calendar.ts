import {
  calendarMappings, calendarStatus, listCalendarConflicts, resolveCalendarConflict, setCalendarConnection, setCalendarMappings, setCalendarSync,
} from "@askproai/db/calendar";
import { calendarConflictsInput, resolveCalendarConflictInput, setCalendarConnectionInput, setCalendarMappingsInput, setCalendarSyncInput } from "@askproai/shared";
import { createSecretBox } from "@askproai/shared/server";
import { protectedProcedure, requireRole, router } from "../trpc.js";

/**
 * Cal.com sync: status, mappings and sync conflicts for everyone in the company (the desk resolves
 * conflicts); the connection (API key, never answered), sync on/off and mappings are set by owners.
 */
export const calendarRouter = router({
  status: protectedProcedure.query(({ ctx }) => calendarStatus(ctx.op)),
  mappings: protectedProcedure.query(({ ctx }) => calendarMappings(ctx.op)),
  setConnection: requireRole("owner")
    .input(setCalendarConnectionInput)
    .mutation(({ ctx, input }) => setCalendarConnection(ctx.op, createSecretBox(ctx.deps.config.SECRETS_KEY), input)),
  setSync: requireRole("owner").input(setCalendarSyncInput).mutation(({ ctx, input }) => setCalendarSync(ctx.op, input)),
  setMappings: requireRole("owner").input(setCalendarMappingsInput).mutation(({ ctx, input }) => setCalendarMappings(ctx.op, input)),
  conflicts: protectedProcedure.input(calendarConflictsInput).query(({ ctx, input }) => listCalendarConflicts(ctx.op, input ?? {})),
  resolveConflict: protectedProcedure.input(resolveCalendarConflictInput).mutation(({ ctx, input }) => resolveCalendarConflict(ctx.op, input)),
});
