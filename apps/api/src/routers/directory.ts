import { listBranches, listResources, listServices, listStaff } from "@askproai/db/directory";
import { byBranchInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const directoryRouter = router({
  branches: protectedProcedure.query(({ ctx }) => listBranches(ctx.op)),
  services: protectedProcedure.input(byBranchInput).query(({ ctx, input }) => listServices(ctx.op, input?.branchId)),
  staff: protectedProcedure.input(byBranchInput).query(({ ctx, input }) => listStaff(ctx.op, input?.branchId)),
  resources: protectedProcedure.input(byBranchInput).query(({ ctx, input }) => listResources(ctx.op, input?.branchId)),
});
