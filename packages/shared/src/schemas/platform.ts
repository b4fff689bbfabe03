/** Platform operators' inputs (AskProAI's own staff, outside every company). */
import { z } from "zod";
import { BUSINESS_MODELS } from "../business-models/types.js";
import { idSchema } from "./common.js";
import { countrySchema, emailSchema, nameText, timezoneSchema } from "./setup.js";
import { text } from "./text.js";

/** A company's slug: lower-case letters, digits and inner hyphens, 3–50 characters ("simple-salon"). */
export const slugSchema = text({ max: 50 })
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,48})[a-z0-9]$/, { message: "must be 3–50 lower-case letters, digits or inner hyphens, like salon-mitte" })
  .refine((s) => !s.includes("--"), { message: "must not contain two hyphens in a row" });

export const createCompanyInput = z.object({
  slug: slugSchema,
  name: nameText(),
  ownerEmail: emailSchema,
  /** Default: the part of the address before the @. The owner may correct it when accepting. */
  ownerName: nameText().optional(),
  businessModel: z.enum(BUSINESS_MODELS).default("simple"),
  timezone: timezoneSchema.default("Europe/Berlin"),
  country: countrySchema.default("DE"),
});
export type CreateCompanyInput = z.input<typeof createCompanyInput>;
export type CreateCompanyParsed = z.output<typeof createCompanyInput>;

export const suspendCompanyInput = z.object({ id: idSchema, reason: nameText(300) });
export type SuspendCompanyInput = z.infer<typeof suspendCompanyInput>;
