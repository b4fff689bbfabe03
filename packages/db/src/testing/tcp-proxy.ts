import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of the real Redis (or PostgreSQL: pass its port): taking it down is a real
 * network outage for the API or worker (connections reset, new ones refused), without disturbing
 * other tests that share the service. `start()` again listens on the same port; both are idempotent.
 */
export const redisProxy = async (target = { host: "127.0.0.1", port: 6379 }) => {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        const upstream = connect(target);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await start();
  return {
    get port() {
      return port;
    },
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    },
    start,
  };
};

export type TcpProxy = Awaited<ReturnType<typeof redisProxy>>;
/** The same proxy in front of any TCP service (e.g. `{ host: "127.0.0.1", port: 5432 }`). */
export const tcpProxy = redisProxy;
