/** The bench's child processes, cleanup on exit or Ctrl-C, and console output. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const root = join(benchDir, "..");
export const resultsDir = join(benchDir, "results");

export const tty = process.stdout.isTTY === true;
export const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const step = (text: string) => console.log(`${paint(36, "▸")} ${text}`);
export const warn = (text: string) => console.log(`${paint(33, "!")} ${text}`);

// ---------------------------------------------------------------------------------------------------
// Cleanup: runs once, on success, on error and on Ctrl-C / SIGTERM.

export const cleanups: { name: string; fn: () => Promise<unknown> }[] = [];
export const onCleanup = (name: string, fn: () => Promise<unknown>) => cleanups.push({ name, fn });
export let cleaning: Promise<void> | undefined;
export const cleanup = () =>
  (cleaning ??= (async () => {
    for (const { name, fn } of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        warn(`cleanup "${name}" failed: ${(error as Error).message}`);
      }
    }
  })());

let interrupted = false;
export const wasInterrupted = () => interrupted;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.log();
    warn(`${signal}: stopping and cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------
// Child processes

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
export const cpuSeconds = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
};

let apiPid: number | undefined;
/** The API process whose CPU time `withApiCpu` reports. */
export const setApiPid = (pid: number | undefined) => {
  apiPid = pid;
};
/** Runs `fn` and reports how busy the API process was meanwhile, in % of one core. */
export const withApiCpu = async <T extends { elapsedMs: number }>(fn: () => Promise<T>): Promise<T & { apiCpuPercent: number | null }> => {
  const before = cpuSeconds(apiPid);
  const result = await fn();
  const after = cpuSeconds(apiPid);
  return { ...result, apiCpuPercent: before === null || after === null ? null : ((after - before) / (result.elapsedMs / 1000)) * 100 };
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const tail = (file: string, lines = 30) => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
};

export interface Child {
  process: ChildProcess;
  logFile: string;
  baseUrl: string;
}

export const startChild = async (
  name: string,
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Child> => {
  const logFile = join(resultsDir, `${name}.log`);
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.once("open", resolve));
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], { cwd, env: { ...env, PORT: String(port) }, stdio: ["ignore", log, log] });
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `${signal ?? code}`));
  onCleanup(`stop ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    log.end();
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited during start-up (${exited}); log ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`${name} not ready after 60 s; log ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${baseUrl}${readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { process: child, logFile, baseUrl };
};
