import { getMessagingSettings, listMessages, listTemplates, resetTemplate, setTemplate, updateMessagingSettings } from "@askproai/db/messaging";
import { listMessagesInput, messagingSettingsInput, setTemplateInput, templateKeyInput } from "@askproai/shared";
import { protectedProcedure, requireRole, router } from "../trpc.js";

export const messagingRouter = router({
  settings: protectedProcedure.query(({ ctx }) => getMessagingSettings(ctx.op)),
  /** Owners and admins: reminder offsets, language, waitlist hold, no-show limit. */
  updateSettings: requireRole("owner", "admin").input(messagingSettingsInput).mutation(({ ctx, input }) => updateMessagingSettings(ctx.op, input)),
  templates: protectedProcedure.query(({ ctx }) => listTemplates(ctx.op)),
  setTemplate: requireRole("owner", "admin").input(setTemplateInput).mutation(({ ctx, input }) => setTemplate(ctx.op, input)),
  resetTemplate: requireRole("owner", "admin").input(templateKeyInput).mutation(({ ctx, input }) => resetTemplate(ctx.op, input)),
  list: protectedProcedure.input(listMessagesInput).query(({ ctx, input }) => listMessages(ctx.op, input)),
});
