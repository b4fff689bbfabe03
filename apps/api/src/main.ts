import { loadConfig } from "@askproai/shared/server";
import { closeApiDeps, createApiDeps } from "./deps.js";
import { createApp } from "./app.js";

const config = loadConfig();
const deps = createApiDeps(config);
const server = createApp(deps).listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  deps.logger.info({ port, host: config.HOST }, "api listening");
});
server.keepAliveTimeout = 65_000;

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  deps.logger.info({ signal }, "api stopping");
  // Stop accepting, let in-flight requests finish, then close pools.
  server.close(() => {
    void closeApiDeps(deps).finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => {
    deps.logger.warn("forced exit after 10 s");
    process.exit(1);
  }, 10_000).unref();
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
