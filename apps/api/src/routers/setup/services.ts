import { createService, deactivateService, listServicesForSetup, reactivateService, updateService } from "@askproai/db/setup";
import { byIdInput, createServiceInput, deactivateInput, includeInactiveInput, updateServiceInput } from "@askproai/shared";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

export const servicesRouter = router({
  list: manage.input(includeInactiveInput).query(({ ctx, input }) => listServicesForSetup(ctx.op, input)),
  create: manage.input(createServiceInput).mutation(({ ctx, input }) => createService(ctx.op, input)),
  update: manage.input(updateServiceInput).mutation(({ ctx, input }) => updateService(ctx.op, input)),
  deactivate: manage.input(deactivateInput).mutation(({ ctx, input }) => deactivateService(ctx.op, input)),
  reactivate: manage.input(byIdInput).mutation(({ ctx, input }) => reactivateService(ctx.op, input.id)),
});
