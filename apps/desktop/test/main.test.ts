/**
 * The main process against a mocked `electron` module (no Electron binary here): the real entry
 * (src/main/index.ts) runs, and the test inspects what it asked Electron for and drives the handlers
 * it registered: window security options, denied navigation/new windows/webviews/permissions, the CSP
 * header, the app:// protocol, and every IPC handler refusing invalid payloads and foreign senders.
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { IPC_CHANNELS, type IpcChannel } from "../src/shared/bridge.js";

const fake = vi.hoisted(() => {
  type Listener = (...args: any[]) => unknown;
  const state = {
    userData: "",
    windows: [] as any[],
    ipc: new Map<string, Listener>(),
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    privileged: [] as any[],
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    headersReceived: null as Listener | null,
    appEvents: new Map<string, Listener>(),
    ready: null as Promise<void> | null,
  };
  return { state };
});

vi.mock("electron", async () => {
  const { EventEmitter: Emitter } = await import("node:events");
  const { state } = fake;
  class WebContents extends Emitter {
    openHandler: ((details: { url: string }) => unknown) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
      this.openHandler = handler;
    }
  }
  class BrowserWindow extends Emitter {
    webContents = new WebContents();
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    constructor(readonly options: any) {
      super();
      state.windows.push(this);
    }
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    static getAllWindows = () => state.windows;
  }
  return {
    BrowserWindow,
    app: {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (event: string, listener: (...args: any[]) => unknown) => state.appEvents.set(event, listener),
      whenReady: () => (state.ready = Promise.resolve()),
      getPath: () => state.userData,
    },
    ipcMain: { handle: (channel: string, listener: (...args: any[]) => unknown) => state.ipc.set(channel, listener) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: any[]) => state.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: any) => (state.permissionRequest = h),
        setPermissionCheckHandler: (h: any) => (state.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: any) => (state.headersReceived = h) },
      },
    },
    net: { fetch: vi.fn(async () => new Response('{"result":{"data":{"ok":true}}}', { headers: { "content-type": "application/json" } })) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString("base64")}`),
      decryptString: (data: Buffer) => Buffer.from(data.toString().slice("sealed:".length), "base64").toString(),
    },
  };
});

const { state } = fake;
const appFrame = { senderFrame: { url: "app://desk/index.html" } };
const invoke = (channel: IpcChannel, payload?: unknown, event: unknown = appFrame) => Promise.resolve().then(() => state.ipc.get(channel)!(event, payload));

beforeAll(async () => {
  state.userData = mkdtempSync(join(tmpdir(), "askproai-desktop-main-"));
  await import("../src/main/index.js");
  await state.ready;
  await new Promise((resolve) => setTimeout(resolve, 0));
});
afterAll(() => rmSync(state.userData, { recursive: true, force: true }));

const window = () => state.windows[0]!;
const navigationEvent = () => ({ preventDefault: vi.fn() });

describe("the window", () => {
  it("is sandboxed, isolated, without Node, with web security, and loads the app's own origin", () => {
    expect(state.windows).toHaveLength(1);
    const prefs = window().options.webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(window().loadURL).toHaveBeenCalledWith("app://desk/index.html");
  });

  it("denies navigation and redirects away from the app, new windows and webviews", () => {
    const contents = window().webContents as EventEmitter & { openHandler: (d: { url: string }) => unknown };
    for (const url of ["https://evil.example/", "file:///etc/passwd", "app://desk.evil.example/", "app://user:pw@desk/", "http://127.0.0.1:3000/trpc", "javascript:alert(1)"]) {
      for (const name of ["will-navigate", "will-redirect"]) {
        const event = navigationEvent();
        contents.emit(name, event, url);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled();
      }
      expect(contents.openHandler({ url })).toEqual({ action: "deny" });
    }
    const own = navigationEvent();
    contents.emit("will-navigate", own, "app://desk/index.html");
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(contents.openHandler({ url: "app://desk/index.html" })).toEqual({ action: "deny" });
    const webview = navigationEvent();
    contents.emit("will-attach-webview", webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it("locks down any other web contents that gets created", () => {
    const contents = Object.assign(new EventEmitter(), { openHandler: null as any, setWindowOpenHandler(h: any) { this.openHandler = h; } });
    state.appEvents.get("web-contents-created")!({}, contents);
    const event = navigationEvent();
    contents.emit("will-navigate", event, "https://evil.example/");
    expect(event.preventDefault).toHaveBeenCalled();
    expect(contents.openHandler({ url: "https://evil.example/" })).toEqual({ action: "deny" });
  });

  it("denies every permission request and check", () => {
    for (const permission of ["media", "geolocation", "notifications", "clipboard-read", "openExternal"]) {
      const callback = vi.fn();
      state.permissionRequest!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(state.permissionCheck!({}, permission)).toBe(false);
    }
  });

  it("adds the strict CSP header to every response", () => {
    const callback = vi.fn();
    state.headersReceived!({ responseHeaders: { "content-type": ["text/html"] } }, callback);
    const csp = callback.mock.calls[0]![0].responseHeaders["Content-Security-Policy"][0] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe("the app:// protocol", () => {
  it("is registered as a standard, secure scheme that may fetch and stream", () => {
    expect(state.privileged).toEqual([{ scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect(state.protocolHandlers.has("app")).toBe(true);
  });

  it("serves the renderer with the CSP, refuses paths outside it, and forwards /trpc to the API", async () => {
    const handle = state.protocolHandlers.get("app")!;
    const page = await handle(new Request("app://desk/index.html"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="root">');
    for (const path of ["/%2e%2e/%2e%2e/package.json", "/..%2f..%2fpackage.json", "/%00index.html"]) {
      expect((await handle(new Request(`app://desk${path}`))).status, path).toBe(404);
    }
    expect((await handle(new Request("app://desk/index.html", { method: "POST", body: "x" }))).status).toBe(405);
    const api = await handle(new Request("app://desk/trpc/auth.me", { headers: { authorization: "Bearer t", cookie: "secret=1" } }));
    expect(api.status).toBe(200);
    const { net } = await import("electron");
    const [target, init] = (net.fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls[0]!;
    expect(target).toBe("http://127.0.0.1:3000/trpc/auth.me");
    const forwarded = new Headers(init.headers);
    expect(forwarded.get("authorization")).toBe("Bearer t");
    expect(forwarded.get("cookie")).toBeNull();
  });
});

describe("IPC handlers", () => {
  it("exist for exactly the bridge's channels", () => {
    expect([...state.ipc.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });

  const entry = {
    id: "2b1f6f8e-3f5a-4d6e-9a4b-1c2d3e4f5a6b",
    createdAt: "2026-11-25T09:00:00.000Z",
    operation: { kind: "cancel", input: { id: "7c9e6679-7425-40de-944b-e07fc1f90ae7" } },
    summary: { branchId: "b", staffId: "s", staffName: "Lena", serviceId: "v", serviceName: "Schnitt", customerName: "Jana", start: "2026-11-26T10:00:00+01:00", end: "2026-11-26T10:30:00+01:00" },
  };
  const invalid: Record<IpcChannel, unknown[]> = {
    "outbox:list": [{}, "all", 1],
    "outbox:add": [undefined, {}, { ...entry, id: "not-a-uuid" }, { ...entry, operation: { kind: "drop_table", input: {} } }, { ...entry, operation: { kind: "create", input: { branchId: "x" } } }],
    "outbox:update": [undefined, { id: entry.id, state: "done", attempts: 0, problem: null }, { id: entry.id, state: "pending", attempts: -1, problem: null }],
    "outbox:remove": [undefined, { id: 5 }, { id: "../../etc" }, "2b1f6f8e-3f5a-4d6e-9a4b-1c2d3e4f5a6b"],
    "session:get": [{ token: "x" }, "x"],
    "session:set": [undefined, { token: "short" }, { token: "a".repeat(40), user: { id: "u", name: "n", role: "root", companyId: "c" } }],
    "session:clear": [{}, "now"],
  };

  for (const channel of Object.keys(invalid) as IpcChannel[]) {
    it(`${channel} refuses invalid payloads and messages from outside the app`, async () => {
      for (const payload of invalid[channel]) {
        await expect(invoke(channel, payload), JSON.stringify(payload)).rejects.toThrow(new RegExp(`^${channel}: invalid payload`));
      }
      for (const frame of [{ senderFrame: { url: "https://evil.example/" } }, { senderFrame: null }, { senderFrame: { url: "app://desk.evil/" } }]) {
        await expect(invoke(channel, undefined, frame)).rejects.toThrow(`${channel}: refused a message from outside the app`);
      }
    });
  }

  it("keeps outbox entries durably in the user's data folder and the session sealed", async () => {
    const stored = await invoke("outbox:add", entry);
    expect(stored).toMatchObject({ id: entry.id, state: "pending", attempts: 0, problem: null });
    await invoke("outbox:update", { id: entry.id, state: "conflict", attempts: 1, problem: { code: "CONFLICT", message: "taken", reason: null, alternatives: [] } });
    const onDisk = JSON.parse(readFileSync(join(state.userData, "outbox.json"), "utf8"));
    expect(onDisk).toEqual([expect.objectContaining({ id: entry.id, state: "conflict", attempts: 1 })]);
    expect(await invoke("outbox:list")).toEqual(onDisk);
    await invoke("outbox:remove", { id: entry.id });
    expect(await invoke("outbox:list")).toEqual([]);

    const session = { token: "t".repeat(32), user: { id: "u1", name: "Empfang", role: "front_desk", companyId: "c1" } };
    await invoke("session:set", session);
    expect(readFileSync(join(state.userData, "session.bin"), "utf8")).not.toContain("t".repeat(32));
    expect(await invoke("session:get")).toEqual(session);
    await invoke("session:clear");
    expect(await invoke("session:get")).toBeNull();
  });
});
