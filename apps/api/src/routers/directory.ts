import { listBranches, listServices, listStaff } from "@askproai/db";
import { byBranchInput } from "@askproai/shared";
import { protectedProcedure, router } from "../trpc.js";

export const directoryRouter = router({
  branches: protectedProcedure.query(({ ctx }) => listBranches(ctx.db)),
  services: protectedProcedure.input(byBranchInput).query(({ ctx, input }) => listServices(ctx.db, input?.branchId)),
  staff: protectedProcedure.input(byBranchInput).query(({ ctx, input }) => listStaff(ctx.db, input?.branchId)),
});
