import { z } from "zod";
import { text } from "./text.js";

export const loginInput = z.object({
  email: text({ max: 254 }).transform((v) => v.toLowerCase()).pipe(z.email({ message: "must be an email address" })),
  password: text({ min: 1, max: 1024, raw: true }),
});
export type LoginInput = z.infer<typeof loginInput>;

export const USER_ROLES = ["owner", "admin", "front_desk"] as const;
export const userRoleSchema = z.enum(USER_ROLES);

export const sessionUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: userRoleSchema,
  companyId: z.string(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginOutput = z.object({ token: z.string(), user: sessionUserSchema, expiresAt: z.string() });
export type LoginOutput = z.infer<typeof loginOutput>;
