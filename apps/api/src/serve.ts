import type { AppConfig } from "@askproai/shared/server";
import { createApp } from "./app.js";
import { closeApiDeps, createApiDeps } from "./deps.js";
import { answerClientErrors } from "./errors.js";

/**
 * One API process: listens, and on SIGTERM/SIGINT drains: stops accepting, ends live subscriptions
 * (their clients reconnect to another process and resume by seq), lets in-flight requests finish,
 * then closes the pools. Forced exit after 10 s.
 */
export const serveApi = (config: AppConfig) => {
  const deps = createApiDeps(config);
  const server = createApp(deps).listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    deps.logger.info({ port, host: config.HOST, pid: process.pid }, "api listening");
  });
  server.keepAliveTimeout = 65_000;
  answerClientErrors(server);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "api stopping");
    server.close(() => {
      void closeApiDeps(deps).finally(() => process.exit(0));
    });
    // Ends every subscription generator, so their long-lived responses finish too.
    void deps.changes.stop();
    server.closeIdleConnections();
    setTimeout(() => {
      deps.logger.warn("forced exit after 10 s");
      process.exit(1);
    }, 10_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return server;
};
