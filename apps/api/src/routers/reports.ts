import { apiPerformanceReport, bookingSuccessReport } from "@askproai/db/ops";
import { z } from "zod";
import { requireRole, router } from "../trpc.js";

const owners = requireRole("owner", "admin");

export const reportsRouter = router({
  bookingSuccess: owners.input(z.object({ days: z.number().int().min(1).max(90).default(30) }).optional()).query(({ ctx, input }) => bookingSuccessReport(ctx.op, input?.days)),
  apiPerformance: owners
    .input(z.object({ sinceMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60) }).optional())
    .query(({ ctx, input }) => apiPerformanceReport(ctx.op, input?.sinceMinutes)),
});
