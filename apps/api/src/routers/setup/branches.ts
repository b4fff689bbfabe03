import { createBranch, deactivateBranch, listBranchesForSetup, reactivateBranch, updateBranch } from "@askproai/db/setup";
import { byIdInput, createBranchInput, deactivateInput, includeInactiveInput, updateBranchInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

export const branchesRouter = router({
  list: manage.input(includeInactiveInput).query(({ ctx, input }) => listBranchesForSetup(ctx.op, input)),
  create: manage.input(createBranchInput).mutation(({ ctx, input }) => createBranch(ctx.op, input)),
  update: manage.input(updateBranchInput).mutation(({ ctx, input }) => updateBranch(ctx.op, input)),
  deactivate: manage.input(deactivateInput).mutation(({ ctx, input }) => deactivateBranch(ctx.op, input)),
  reactivate: manage.input(byIdInput).mutation(({ ctx, input }) => reactivateBranch(ctx.op, input.id)),
});
