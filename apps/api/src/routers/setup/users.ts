import { changeUserRole, deactivateUser, inviteUser, listUsers, reactivateUser, resendInvite } from "@askproai/db/setup";
import { byIdInput, changeRoleInput, inviteUserInput } from "@askproai/shared";
import { publicBaseUrlOf } from "@askproai/shared/server";
import { router } from "../../trpc.js";
import { manage } from "./procedures.js";

/** The company's users; invitations answer a one-time link for the invitee. */
export const usersRouter = router({
  list: manage.query(({ ctx }) => listUsers(ctx.op)),
  invite: manage.input(inviteUserInput).mutation(({ ctx, input }) => inviteUser(ctx.op, input, { publicBaseUrl: publicBaseUrlOf(ctx.deps.config) })),
  resendInvite: manage.input(byIdInput).mutation(({ ctx, input }) => resendInvite(ctx.op, input.id, { publicBaseUrl: publicBaseUrlOf(ctx.deps.config) })),
  changeRole: manage.input(changeRoleInput).mutation(({ ctx, input }) => changeUserRole(ctx.op, input)),
  deactivate: manage.input(byIdInput).mutation(({ ctx, input }) => deactivateUser(ctx.op, input.id)),
  reactivate: manage.input(byIdInput).mutation(({ ctx, input }) => reactivateUser(ctx.op, input.id)),
});
