/**
 * `events.onChange`: every appointment change of the user's company, as `{ seq, type, appointment }`
 * over server-sent events, resumable from the last seen `seq` (tRPC passes the SSE `lastEventId`).
 * Without one it starts at the present; with one it first replays what was missed, then goes live.
 */
import { companyChangesAfter, type ChangeEventOut } from "@askproai/db/live";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { protectedProcedure, router } from "../trpc.js";

const input = z.object({ lastEventId: z.string().regex(/^\d{1,15}$/, { message: "must be a seq number" }).nullish() }).optional();

export const eventsRouter = router({
  onChange: protectedProcedure.input(input).subscription(async function* ({ ctx, input, signal }) {
    const pending: ChangeEventOut[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = await ctx.deps.changes.subscribe(ctx.op.companyId, (event) => {
      pending.push(event);
      wake?.();
    });
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    try {
      let last = input?.lastEventId ? Number(input.lastEventId) : await ctx.deps.changes.now();
      for (const event of await companyChangesAfter(ctx.op.sql, ctx.op.companyId, last)) {
        last = event.seq;
        yield tracked(String(event.seq), event);
      }
      while (!signal?.aborted && !ctx.deps.changes.isStopped) {
        const event = pending.shift();
        if (!event) {
          await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted, ctx.deps.changes.closed]);
          wake = null;
          continue;
        }
        if (event.seq <= last) continue; // already replayed
        last = event.seq;
        yield tracked(String(event.seq), event);
      }
    } finally {
      unsubscribe();
    }
  }),
});
