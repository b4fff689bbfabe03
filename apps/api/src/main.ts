/**
 * The API process. With API_PROCESSES=N > 1 this process becomes a small supervisor (node:cluster)
 * that forks N API processes sharing the port, replaces one that crashes, and on SIGTERM/SIGINT
 * passes the signal on and waits until every one has drained.
 */
import cluster from "node:cluster";
import { createLogger, loadConfig } from "@askproai/shared/server";
import { serveApi } from "./serve.js";

const config = loadConfig();

if (cluster.isPrimary && config.API_PROCESSES > 1) {
  const logger = createLogger({ level: config.LOG_LEVEL, service: "api-supervisor" });
  let stopping = false;
  for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "api process exited unexpectedly; starting a replacement");
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes: config.API_PROCESSES }, "api stopping all processes");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  logger.info({ processes: config.API_PROCESSES, port: config.PORT }, "api supervisor started");
} else {
  serveApi(config);
}
