import { failedBookings, timeline } from "@askproai/db/ops";
import { idSchema } from "@askproai/shared";
import { z } from "zod";
import { requireRole, router } from "../trpc.js";

const owners = requireRole("owner", "admin");

const timelineInput = z
  .object({ correlationId: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, { message: "must be a correlation id" }).optional(), appointmentId: idSchema.optional() })
  .refine((v) => Boolean(v.correlationId) !== Boolean(v.appointmentId), { message: "give exactly one of correlationId or appointmentId", path: ["correlationId"] });

export const debugRouter = router({
  failedBookings: owners.input(z.object({ hours: z.number().int().min(1).max(24 * 7).default(24) }).optional()).query(({ ctx, input }) => failedBookings(ctx.op, input?.hours)),
  timeline: owners.input(timelineInput).query(({ ctx, input }) => timeline(ctx.op, input)),
});
