import { createStaff, deactivateStaff, getStaffForSetup, listSkills, listStaffForSetup, reactivateStaff, setSkills, updateStaff } from "@askproai/db/setup";
import { byIdInput, createStaffInput, deactivateInput, includeInactiveInput, listSkillsInput, setSkillsInput, updateStaffInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

export const staffRouter = router({
  list: manage.input(includeInactiveInput).query(({ ctx, input }) => listStaffForSetup(ctx.op, input)),
  get: manage.input(byIdInput).query(({ ctx, input }) => getStaffForSetup(ctx.op, input.id)),
  create: manage.input(createStaffInput).mutation(({ ctx, input }) => createStaff(ctx.op, input)),
  update: manage.input(updateStaffInput).mutation(({ ctx, input }) => updateStaff(ctx.op, input)),
  deactivate: manage.input(deactivateInput).mutation(({ ctx, input }) => deactivateStaff(ctx.op, input)),
  reactivate: manage.input(byIdInput).mutation(({ ctx, input }) => reactivateStaff(ctx.op, input.id)),
});

export const skillsRouter = router({
  list: manage.input(listSkillsInput).query(({ ctx, input }) => listSkills(ctx.op, input)),
  set: manage.input(setSkillsInput).mutation(({ ctx, input }) => setSkills(ctx.op, input)),
});
