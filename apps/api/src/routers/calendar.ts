import { calendarMappings, calendarStatus, setCalendarConnection, setCalendarMappings, setCalendarSync } from "@askproai/db/calendar";
import { setCalendarConnectionInput, setCalendarMappingsInput, setCalendarSyncInput } from "@askproai/shared";
import { createSecretBox } from "@askproai/shared/server";
import { protectedProcedure, requireRole, router } from "../trpc.js";

/** Cal.com sync: status for everyone in the company; the connection (API key, never answered), sync on/off and mappings for owners. */
export const calendarRouter = router({
  status: protectedProcedure.query(({ ctx }) => calendarStatus(ctx.op)),
  mappings: protectedProcedure.query(({ ctx }) => calendarMappings(ctx.op)),
  setConnection: requireRole("owner")
    .input(setCalendarConnectionInput)
    .mutation(({ ctx, input }) => setCalendarConnection(ctx.op, createSecretBox(ctx.deps.config.SECRETS_KEY), input)),
  setSync: requireRole("owner").input(setCalendarSyncInput).mutation(({ ctx, input }) => setCalendarSync(ctx.op, input)),
  setMappings: requireRole("owner").input(setCalendarMappingsInput).mutation(({ ctx, input }) => setCalendarMappings(ctx.op, input)),
});
