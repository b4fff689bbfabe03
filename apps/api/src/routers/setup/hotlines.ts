import { createHotline, listHotlines, removeHotline, updateHotline } from "@askproai/db/setup";
import { byIdInput, createHotlineInput, updateHotlineInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

/** Numbers that answer for several branches and route callers to one of them. */
export const hotlinesRouter = router({
  list: manage.query(({ ctx }) => listHotlines(ctx.op)),
  create: manage.input(createHotlineInput).mutation(({ ctx, input }) => createHotline(ctx.op, input)),
  update: manage.input(updateHotlineInput).mutation(({ ctx, input }) => updateHotline(ctx.op, input)),
  remove: manage.input(byIdInput).mutation(({ ctx, input }) => removeHotline(ctx.op, input.id)),
});
