/**
 * appointments.create without tRPC's adapter (./fast-path.ts): a single POST whose JSON body (parsed
 * and depth-checked by the /trpc body parser) is a valid input. Everything else goes on to tRPC.
 */
import { createAppointment } from "@askproai/db/booking";
import { createAppointmentInput } from "@askproai/shared";
import type { RequestHandler } from "express";
import type { ApiDeps } from "../deps.js";
import { fastProcedure } from "./fast-path.js";

const PATH = "/appointments.create";

export const bookingFastPath = (deps: ApiDeps): RequestHandler => {
  const handler = fastProcedure(
    deps,
    "appointments.create",
    (req) => {
      const parsed = createAppointmentInput.safeParse(req.body);
      return parsed.success ? parsed.data : null;
    },
    async (ctx, input) => JSON.stringify(await createAppointment(ctx, input)),
  );
  // Mounted inside /trpc: only the one path, as a POST.
  return (req, res, next) => (req.method === "POST" && req.path === PATH ? handler(req, res, next) : next());
};
