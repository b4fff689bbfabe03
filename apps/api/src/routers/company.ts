import { companyBilling } from "@askproai/db/billing";
import { protectedProcedure, router } from "../trpc.js";

export const companyRouter = router({
  /** The subscription's state for the desktop: `{ status, periodEnd, subscriptionId, voiceBookingAllowed }`; any role. */
  billing: protectedProcedure.query(({ ctx }) => companyBilling(ctx.op)),
});
