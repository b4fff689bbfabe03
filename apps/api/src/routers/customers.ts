import { searchCustomers, upsertCustomer } from "@askproai/db/customers";
import { customerSearchInput, customerUpsertInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const customersRouter = router({
  search: protectedProcedure.input(customerSearchInput).query(({ ctx, input }) => searchCustomers(ctx.op, input.query, input.limit)),
  upsert: protectedProcedure.input(customerUpsertInput).mutation(({ ctx, input }) => upsertCustomer(ctx.op, input)),
});
