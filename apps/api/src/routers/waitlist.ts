import { cancelWaitlistEntry, joinWaitlist, listWaitlist } from "@askproai/db/waitlist";
import { joinWaitlistInput, listWaitlistInput, waitlistEntryIdInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const waitlistRouter = router({
  join: protectedProcedure.input(joinWaitlistInput).mutation(({ ctx, input }) => joinWaitlist(ctx.op, input)),
  list: protectedProcedure.input(listWaitlistInput).query(({ ctx, input }) => listWaitlist(ctx.op, input)),
  cancel: protectedProcedure.input(waitlistEntryIdInput).mutation(({ ctx, input }) => cancelWaitlistEntry(ctx.op, input.id)),
});
