import { searchCustomers, upsertCustomer } from "@askproai/db";
import { customerSearchInput, customerUpsertInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const customersRouter = router({
  search: protectedProcedure
    .input(customerSearchInput)
    .query(({ ctx, input }) => searchCustomers(ctx.db, ctx.session.user.companyId, input.query, input.limit)),
  upsert: protectedProcedure.input(customerUpsertInput).mutation(({ ctx, input }) => upsertCustomer(ctx.db, ctx.session.user.companyId, input)),
});
