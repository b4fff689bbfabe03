import { createResource, deactivateResource, listResourcesForSetup, reactivateResource, updateResource } from "@askproai/db/setup";
import { byIdInput, createResourceInput, deactivateInput, includeInactiveInput, updateResourceInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

/** Rooms (resources) that services of their kind need. */
export const resourcesRouter = router({
  list: manage.input(includeInactiveInput).query(({ ctx, input }) => listResourcesForSetup(ctx.op, input)),
  create: manage.input(createResourceInput).mutation(({ ctx, input }) => createResource(ctx.op, input)),
  update: manage.input(updateResourceInput).mutation(({ ctx, input }) => updateResource(ctx.op, input)),
  deactivate: manage.input(deactivateInput).mutation(({ ctx, input }) => deactivateResource(ctx.op, input)),
  reactivate: manage.input(byIdInput).mutation(({ ctx, input }) => reactivateResource(ctx.op, input.id)),
});
