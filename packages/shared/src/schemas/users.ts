/** Users of a company (owners invite them with a one-time link) and accepting such an invitation. */
import { z } from "zod";
import { userRoleSchema } from "./auth.js";
import { idSchema } from "./common.js";
import { emailSchema, nameText } from "./setup.js";
import { text } from "./text.js";

/** At least 10 characters (NIST SP 800-63B: length over composition rules), at most 1024 (argon2 input). */
export const newPasswordSchema = text({ min: 10, max: 1024, raw: true }).refine((p) => p.trim().length >= 10, { message: "must not be mostly spaces" });

export const inviteUserInput = z.object({ email: emailSchema, name: nameText(), role: userRoleSchema });
export type InviteUserInput = z.infer<typeof inviteUserInput>;

export const changeRoleInput = z.object({ id: idSchema, role: userRoleSchema });
export type ChangeRoleInput = z.infer<typeof changeRoleInput>;

export const acceptInviteInput = z.object({
  /** The token from the invitation link (after `#token=`). */
  token: text({ max: 200 }).regex(/^[A-Za-z0-9_-]{20,}$/, { message: "is not an invitation token" }),
  password: newPasswordSchema,
  /** The invitee may correct the name the owner typed. */
  name: nameText().optional(),
});
export type AcceptInviteInput = z.infer<typeof acceptInviteInput>;
