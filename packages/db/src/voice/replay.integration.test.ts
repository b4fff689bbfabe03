/** Answers once per (call, function, arguments): concurrent and later repeats, failures, dead claims, retention. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextFor, createDomainDeps, type OperationContext } from "../context.js";
import { createFixtureCompany, createScratchDatabase, type ScratchDatabase } from "../testing/index.js";
import { answerOnce, purgeVoiceAnswers, requestKeyOf } from "./replay.js";

let scratch: ScratchDatabase;
let ctx: OperationContext;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
  ctx = contextFor(createDomainDeps(scratch.db, null), { companyId: f.companyId, correlationId: "replay-test", actor: { type: "voice_agent", id: "call_r" }, source: "voice" });
});
afterAll(async () => scratch?.drop());

describe("answerOnce", () => {
  it("runs a request once for concurrent repeats and answers later repeats from the store", async () => {
    let runs = 0;
    const run = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { ok: true, result: `answer ${runs}` };
    };
    const request = { retellCallId: "call_1", name: "book_appointment", args: { service: "Herrenhaarschnitt", time: "14:30" } };
    const answers = await Promise.all([answerOnce(ctx, request, run), answerOnce(ctx, request, run), answerOnce(ctx, request, run)]);
    expect(answers).toEqual([{ ok: true, result: "answer 1" }, { ok: true, result: "answer 1" }, { ok: true, result: "answer 1" }]);
    expect(await answerOnce(ctx, { ...request, args: { time: " 14:30", service: "HERRENHAARSCHNITT", staff: null } }, run)).toEqual({ ok: true, result: "answer 1" });
    expect(runs).toBe(1);
    // another call, another function or other arguments are other requests
    await answerOnce(ctx, { ...request, retellCallId: "call_2" }, run);
    await answerOnce(ctx, { ...request, name: "check_availability" }, run);
    await answerOnce(ctx, { ...request, args: { ...request.args, time: "15:00" } }, run);
    expect(runs).toBe(4);
  });

  it("a request that fails leaves no claim, so the repeat runs again", async () => {
    const request = { retellCallId: "call_3", name: "cancel_appointment", args: { appointment_id: "x" } };
    await expect(answerOnce(ctx, request, () => Promise.reject(new Error("database hiccup")))).rejects.toThrow("database hiccup");
    expect(await answerOnce(ctx, request, async () => ({ ok: true, result: "cancelled" }))).toEqual({ ok: true, result: "cancelled" });
  });

  it("the claim of a request that died is taken over after a while", async () => {
    const request = { retellCallId: "call_4", name: "book_appointment", args: {} };
    await scratch.db.voiceFunctionCall.create({
      data: { companyId: ctx.companyId, retellCallId: "call_4", name: request.name, requestKey: requestKeyOf("call_4", request.name, {}), claimedAt: new Date(Date.now() - 60_000), correlationId: "dead" },
    });
    expect(await answerOnce(ctx, request, async () => ({ ok: true, result: "taken over" }))).toEqual({ ok: true, result: "taken over" });
  });

  it("keeps answers two days, then forgets them", async () => {
    const before = await scratch.db.voiceFunctionCall.count();
    expect(before).toBeGreaterThan(0);
    expect(await purgeVoiceAnswers(scratch.db)).toBe(0);
    expect(await purgeVoiceAnswers(scratch.db, Date.now() + 3 * 86_400_000)).toBe(before);
  });
});
