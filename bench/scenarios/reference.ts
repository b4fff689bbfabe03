/** Reference: the cheapest authenticated procedure, to read every other figure against. */
import { Client, runLoad, type BenchRequest } from "../load.js";
import { auth, CONFIG, scale, type Ctx } from "../harness/context.js";
import { step, withApiCpu } from "../harness/process.js";
import { addRow, figures } from "../harness/report.js";

/** Reference: the cheapest authenticated procedure (session lookup + one small query). */
export const authenticatedReference = async (ctx: Ctx) => {
  const { count, concurrency } = CONFIG.reference;
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    step(`reference (directory.branches, authenticated): ${count} requests at concurrency ${concurrency}…`);
    const req: BenchRequest = { method: "GET", path: "/trpc/directory.branches", headers: auth(ctx) };
    await runLoad(api, { count: scale(100), concurrency, make: () => req });
    const real = figures(await withApiCpu(() => runLoad(api, { count, concurrency, make: () => req })));
    const floorReq: BenchRequest = { method: "GET", path: "/floor/small" };
    await runLoad(floor, { count: scale(100), concurrency, make: () => floorReq });
    const floorFigures = figures(await runLoad(floor, { count, concurrency, make: () => floorReq }));
    const bad = real.requests - (real.statuses["200"] ?? 0);
    addRow("ref: directory.branches", real, floorFigures, floorReq.path, `reference only${bad ? `, ${bad} non-200` : ""}`, { concurrency });
  } finally {
    api.close();
    floor.close();
  }
};
