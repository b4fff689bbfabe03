import type { AppointmentSource, ActorType } from "../generated/prisma/enums.js";
import type { Db } from "../client.js";
import type { AnswerCache } from "./availability.js";

export interface BookingActor {
  type: ActorType;
  id?: string | null;
}

/** Who is acting, for which company, and under which correlation id: the same for desk, voice and worker. */
export interface BookingContext {
  db: Db;
  companyId: string;
  /** null = no cache (e.g. a worker without Redis); availability is then always computed fresh. */
  cache: AnswerCache | null;
  correlationId: string;
  actor: BookingActor;
  source: AppointmentSource;
  now?: () => number;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export const nowOf = (ctx: Pick<BookingContext, "now">) => (ctx.now ? ctx.now() : Date.now());
