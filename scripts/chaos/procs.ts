/** The chaos run's moving parts: API and worker child processes that can be killed and restarted, and a Redis proxy that can be cut. */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";
import { join } from "node:path";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A TCP proxy in front of the real Redis: `cut()` is a Redis outage for our processes only (others share that Redis). */
export const redisProxy = async (target = { host: "127.0.0.1", port: 6379 }) => {
  const sockets = new Set<net.Socket>();
  const port = await freePort();
  let server: net.Server | null = null;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  await open();
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = null;
    },
    restore: open,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    },
  };
};

export interface Managed {
  name: string;
  child: ChildProcess | null;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A child process (`src/main.ts` of an app) that is started, killed with any signal, and started again; output to a log file. */
export const managed = (name: string, root: string, app: string, env: NodeJS.ProcessEnv, readyUrl: string, logDir: string): Managed => {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: "a" });
  const self: Managed = {
    name,
    child: null,
    async start() {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: join(root, "apps", app), env, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      self.child = child;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited during start-up (see ${logDir}/${name}.log)`);
        if (Date.now() > deadline) throw new Error(`${name} not ready after 60 s`);
        const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
        if (ok) return;
        await sleep(200);
      }
    },
    async kill(signal = "SIGKILL") {
      const child = self.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      await gone;
      self.child = null;
    },
  };
  return self;
};
