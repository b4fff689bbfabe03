import { getCustomer, searchCustomers, upsertCustomer } from "@askproai/db/customers";
import { byIdInput, customerSearchInput, customerUpsertInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const customersRouter = router({
  search: protectedProcedure.input(customerSearchInput).query(({ ctx, input }) => searchCustomers(ctx.op, input.query, input.limit)),
  get: protectedProcedure.input(byIdInput).query(({ ctx, input }) => getCustomer(ctx.op, input.id)),
  upsert: protectedProcedure.input(customerUpsertInput).mutation(({ ctx, input }) => upsertCustomer(ctx.op, input)),
});
