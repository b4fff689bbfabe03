/**
 * The preload bridge against a mocked `electron`: it exposes exactly `window.desk` with one named
 * function per capability (no raw ipcRenderer, no generic send), and each calls its own channel.
 */
import { describe, expect, it, vi } from "vitest";
import { IPC_CHANNELS } from "../src/shared/bridge.js";

const electron = vi.hoisted(() => ({
  exposed: new Map<string, any>(),
  invoke: vi.fn(async (..._args: unknown[]) => "answer"),
}));

vi.mock("electron", () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { invoke: electron.invoke, send: vi.fn(), on: vi.fn(), sendSync: vi.fn() },
}));

describe("the preload bridge", () => {
  it("exposes only window.desk, with named functions that each invoke their own channel", async () => {
    await import("../src/preload/index.js");
    expect([...electron.exposed.keys()]).toEqual(["desk"]);
    const desk = electron.exposed.get("desk");
    expect(Object.keys(desk).sort()).toEqual(["outbox", "platform", "session"]);
    expect(desk.platform).toBe("electron");
    expect(Object.keys(desk.outbox).sort()).toEqual(["add", "list", "remove", "update"]);
    expect(Object.keys(desk.session).sort()).toEqual(["clear", "get", "set"]);

    const calls: [string, (api: any) => Promise<unknown>, unknown][] = [
      ["outbox:list", (d) => d.outbox.list(), undefined],
      ["outbox:add", (d) => d.outbox.add({ id: "e" }), { id: "e" }],
      ["outbox:update", (d) => d.outbox.update({ id: "e", state: "pending" }), { id: "e", state: "pending" }],
      ["outbox:remove", (d) => d.outbox.remove("e"), { id: "e" }],
      ["session:get", (d) => d.session.get(), undefined],
      ["session:set", (d) => d.session.set({ token: "t" }), { token: "t" }],
      ["session:clear", (d) => d.session.clear(), undefined],
    ];
    for (const [channel, call, payload] of calls) {
      electron.invoke.mockClear();
      await expect(call(desk)).resolves.toBe("answer");
      expect(electron.invoke).toHaveBeenCalledExactlyOnceWith(channel, payload);
    }
    // Every channel main handles is used by exactly one bridge function, and no other.
    expect(calls.map(([channel]) => channel).sort()).toEqual([...IPC_CHANNELS].sort());
    // Nothing generic leaks: no function anywhere on the bridge takes a channel name.
    const functions = [desk.outbox, desk.session].flatMap((group) => Object.values(group));
    expect(functions.every((f) => typeof f === "function" && (f as () => unknown).length <= 1)).toBe(true);
  });
});
